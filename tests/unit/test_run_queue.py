"""The journey queue: in order, and never two journeys of one serial group at once."""

from __future__ import annotations

import threading

from harness.run.queue import JourneyQueue

GROUPS = {"a": "db", "b": "db", "c": None, "d": "files", "e": None}


def _queue(items: str) -> JourneyQueue[str]:
    return JourneyQueue(list(items), GROUPS.get)


def test_items_come_in_order_when_nothing_blocks() -> None:
    queue = _queue("ce")
    assert [queue.take(), queue.take(), queue.take()] == ["c", "e", None]


def test_a_busy_group_is_passed_over_for_the_next_free_item() -> None:
    queue = _queue("abcd")
    assert queue.take() == "a"
    assert queue.take() == "c"  # b waits: a of the same group runs
    assert queue.take() == "d"
    queue.done("a")
    assert queue.take() == "b"
    assert queue.take() is None


def test_take_waits_until_the_group_is_free() -> None:
    queue = _queue("ab")
    assert queue.take() == "a"
    got: list[str | None] = []
    waiter = threading.Thread(target=lambda: got.append(queue.take()))
    waiter.start()
    waiter.join(0.2)
    assert waiter.is_alive()
    assert got == []
    queue.done("a")
    waiter.join(10)
    assert got == ["b"]


def test_stop_releases_waiting_workers_and_returns_what_never_started() -> None:
    queue = _queue("abc")
    assert queue.take() == "a"
    assert queue.take() == "c"
    got: list[str | None] = []
    waiter = threading.Thread(target=lambda: got.append(queue.take()))
    waiter.start()
    assert queue.stop() == ["b"]
    waiter.join(10)
    assert got == [None]
    assert queue.take() is None


def test_many_workers_never_overlap_in_a_group() -> None:
    items = [f"{group}{n}" for n in range(20) for group in "xyz"]
    queue: JourneyQueue[str] = JourneyQueue(items, lambda item: None if item[0] == "z" else item[0])
    running: dict[str, int] = {"x": 0, "y": 0}
    overlaps: list[str] = []
    done: list[str] = []
    lock = threading.Lock()

    def work() -> None:
        while (item := queue.take()) is not None:
            with lock:
                if item[0] in running:
                    running[item[0]] += 1
                    if running[item[0]] > 1:
                        overlaps.append(item)
            with lock:
                if item[0] in running:
                    running[item[0]] -= 1
                done.append(item)
            queue.done(item)

    workers = [threading.Thread(target=work) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert overlaps == []
    assert sorted(done) == sorted(items)


def test_take_with_a_pause_looks_again_after_each_pause_instead_of_blocking() -> None:
    queue = _queue("ab")
    assert queue.take() == "a"
    pauses: list[int] = []

    def pause() -> None:  # what a worker sharing its thread does: let the others run
        pauses.append(1)
        if len(pauses) == 3:
            queue.done("a")

    assert queue.take(pause) == "b"
    assert len(pauses) == 3
    assert queue.take(pause) is None
