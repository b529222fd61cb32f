"""``harness run`` from boot to verdict: check everything, boot the environment while the unit
tests run and the browsers start, run the journeys, cross-check, write the reports, tear down,
and return the contract's exit code. Every way out writes the reports."""

from __future__ import annotations

import os
import signal as signal_module
import threading
import time
from dataclasses import replace

from harness.browser.driver import BrowserChoice
from harness.browser.evidence import ArtifactPolicy
from harness.browser.settings import RunSettings
from harness.contract import EXIT_BAD_INPUT, EXIT_ENVIRONMENT
from harness.core.process_groups import reap_orphans
from harness.core.remote_browser import RemoteEndpoint
from harness.core.spans import Interval, overlap
from harness.core.templating import Context
from harness.errors import (
    BrowserError,
    EnvironmentError_,
    HarnessError,
    InputError,
    Interrupted,
    UsageError,
)
from harness.history.recorder import prefetch as history_store_prefetch
from harness.report import console
from harness.run import convert
from harness.run.crosscheck import report_unit_suites
from harness.run.options import RunOptions
from harness.run.outcome import (
    Outcome,
    conclude,
    finish,
    mask_logs,
    remember_into,
    services_of,
)
from harness.run.plan import RunPlan, find_project, plan_run, run_folder
from harness.run.progress import Progress, boot_watch, describe_services
from harness.run.queue import JourneyQueue
from harness.run.unit_phase import UnitPhase
from harness.run.workers import Finished, Workers, crashed
from harness.stack.boot import RunningStack, allocate_ports, boot, new_run_id, reuse_wanted
from harness.stack.signals import shielded, signals_raise
from harness.stack.watch import ServiceDeath, StackWatch
from harness.unit.runner import UnitRun


def run_harness(
    options: RunOptions, progress: Progress | None = None, early: Workers | None = None
) -> int:
    """The whole run; returns the exit code of the contract (Interrupted propagates, after the
    teardown, for the caller to exit like the signal). ``early``: workers whose browser the
    command line started before this run was imported (``workers.start_early``); the run uses
    them when its browser turns out to be theirs, else stops them."""
    try:
        return _run(options, progress or Progress(), early)
    finally:
        if early is not None:
            early.stop()  # a no-op when the run used them (they have finished)
            early.close(timeout_s=10)


def _run(options: RunOptions, progress: Progress, early: Workers | None) -> int:
    reaped = reap_orphans()
    if reaped:
        progress.say(f"stopped {len(reaped)} process group(s) left running by a killed run")
    project, problems = find_project(options)
    run_id = new_run_id()
    try:
        folder = run_folder(options, project, run_id)
    except UsageError as exc:  # nowhere to write a report: say so, and stop
        progress.say(f"error: {exc}")
        return EXIT_BAD_INPUT
    outcome = Outcome(run_id, folder)
    try:
        plan = plan_run(options, project, problems)
    except InputError as exc:
        progress.say(f"error: {exc}")
        return finish(outcome.stopped_early(EXIT_BAD_INPUT, _bad_input(exc)), outcome, progress)
    outcome.environment = plan.environment.name
    outcome.config, outcome.commit, outcome.shard = plan.config, plan.commit, plan.shard
    outcome.fail_on, outcome.secrets = plan.fail_on, plan.secrets
    remember_into(outcome, plan.project)
    progress.secrets = plan.secrets
    outcome.journeys += [convert.skipped_journey(j, plan.environment.name) for j in plan.skipped]
    if not plan.journeys:
        return finish(conclude(outcome, plan), outcome, progress)
    return RunPhases(plan, options, outcome, progress, early).run()


def _bad_input(error: InputError) -> str:
    problems = getattr(error, "problems", ())
    if not problems:
        return f"bad input: {error}"
    files = len({p.file for p in problems})
    return f"bad input: {len(problems)} error(s) in {files} file(s); first: {problems[0]}"


class RunPhases:
    """One run past its checks: the phases, in the order and overlap the gate needs."""

    def __init__(
        self,
        plan: RunPlan,
        options: RunOptions,
        outcome: Outcome,
        progress: Progress,
        early: Workers | None = None,
    ) -> None:
        self.early = early
        self.plan = plan
        self.options = options
        self.outcome = outcome
        self.progress = progress
        self.unit = UnitPhase(
            plan.project, outcome.folder / "unit", self._unit_finished, self._unit_failed
        )
        count = options.worker_count(len(plan.journeys))
        self.queue = JourneyQueue(plan.journeys, lambda j: j.serial)
        self.workers: Workers | None = None
        self.worker_count = count
        self._boot_started: float | None = None
        self._not_run: list[str] = []
        self._reported = False
        self._stack_timings: dict[str, float] = {}  # filled by boot(), a failed one too
        self._phases: list[Interval] = []  # boot, journeys: what the unit tests run beside

    def run(self) -> int:
        self._announce()
        try:
            browser = self._browser()
        except BrowserError as exc:
            return self._stopped(EXIT_ENVIRONMENT, exc)
        except InputError as exc:
            return self._stopped(EXIT_BAD_INPUT, exc)
        self._one_worker_over_cdp(browser.remote)
        self.workers = self._workers(browser)
        self.workers.assign(self.queue, self.outcome.folder, self._journey_finished)
        self.outcome.folder.mkdir(parents=True, exist_ok=True)
        # while the browser launches and the stack boots, import what only the run's end needs
        threading.Thread(target=_prefetch, name="prefetch", daemon=True).start()
        with signals_raise():  # from here on a signal must also stop the tests and browsers
            try:
                if not self._connect_after_boot:
                    self.workers.start(self.worker_count)
                if self.workers.browser.look_up:  # no browser: nothing starts (exit 4)
                    try:
                        self.workers.wait_first()
                    except BrowserError as exc:
                        return self._stopped(EXIT_ENVIRONMENT, exc)
                if self.options.unit:
                    self.unit.start()
                return self._boot_and_run()
            except Interrupted as exc:  # before or after the journeys: the stack is down now
                self._interrupted(exc, "the run")
                raise
            finally:
                self._stop_everything()
                mask_logs(self.outcome.folder, self.outcome.secrets)  # also after Ctrl-C

    def _workers(self, browser: BrowserChoice) -> Workers:
        """The early workers when their browser is the one this run needs, else new ones."""
        early = self.early
        if early is not None and early.browser == browser and not self._connect_after_boot:
            return early
        if early is not None:
            early.stop()  # its browser is not this run's: let it close now
        return Workers(browser)

    @property
    def _connect_after_boot(self) -> bool:
        """An endpoint that names a port of the stack is known once the stack is up."""
        return self.plan.endpoint is not None and self.plan.endpoint.needs_stack()

    def _browser(self) -> BrowserChoice:
        """The local browser (looked up now), or the remote endpoint (rendered now unless it
        needs the stack); an endpoint that is not ws(s):// or http(s):// is bad input."""
        endpoint = self.plan.endpoint
        if endpoint is None:
            return self._browser_choice(None)
        self.progress.say(f"browser: remote, from {endpoint.source}")
        if endpoint.needs_stack():  # rendered and connected to in _journeys, once it is up
            return BrowserChoice(self.options.browser, headless=True)
        return self._browser_choice(
            endpoint.render(Context(env=os.environ, run_id=self.outcome.run_id))
        )

    def _one_worker_over_cdp(self, remote: RemoteEndpoint | None) -> None:
        """Workers connected to one browser over CDP would answer each other's dialogs: each
        connection sees every page, and Playwright dismisses a dialog its own connection does
        not listen for (an accepted ``confirm()`` came back cancelled). A Playwright server
        keeps each connection's pages to itself, so only CDP runs on one worker."""
        if remote is None or remote.protocol != "cdp" or self.worker_count == 1:
            return
        self.worker_count = 1
        self.progress.say(
            f"browser: {remote.shown()} is a CDP endpoint: the journeys run on 1 worker "
            "(workers sharing a browser over CDP dismiss each other's dialogs); a ws:// "
            "Playwright server runs them in parallel"
        )

    def _browser_choice(self, remote: RemoteEndpoint | None) -> BrowserChoice:
        if remote is None and self.early is not None:  # found already, as the run started
            return self.early.browser
        options = self.options
        return BrowserChoice.from_options(
            options.browser, options.browser_path, options.headed, remote
        )

    def _announce(self) -> None:
        plan = self.plan
        env = plan.environment
        extra = f", {plan.deselected} deselected" if plan.deselected else ""
        extra += f", {len(plan.skipped)} not for this environment" if plan.skipped else ""
        self.progress.say(
            f"run {self.outcome.run_id}: {len(plan.journeys)} journey(s){extra}; "
            f"environment {env.name} ({env.kind}); {self.worker_count} worker(s)"
        )
        for note in plan.notes:
            self.progress.say(note)
        if self.options.unit and self.unit.wanted:
            names = ", ".join(s.name for s in plan.project.unit_tests)
            self.progress.say(f"unit tests: {names} (while the environment boots)")

    def _boot_and_run(self) -> int:
        assert self.workers is not None
        env = self.plan.environment
        self.progress.say(console.booting(env.name, describe_services(env)))
        stack: RunningStack | None = None
        self._boot_started = time.monotonic()
        ports = allocate_ports(env)  # once, so the progress lines show the ports booted
        try:
            with (
                boot_watch(env, self.progress, ports) as watch,
                boot(
                    env,
                    self.outcome.folder,
                    keep=self.options.keep,
                    reuse=reuse_wanted(self.options.reuse),
                    run_id=self.outcome.run_id,
                    say=watch.heard,
                    ports=ports,
                    timings=self._stack_timings,
                ) as stack,
            ):
                watch.stop()
                self._journeys(stack)
        except InputError as exc:
            return self._stopped(EXIT_BAD_INPUT, exc, stack)
        except (EnvironmentError_, BrowserError) as exc:
            if self.outcome.timings.get("journeys") is not None:
                return self._teardown_failed(exc, stack)
            return self._stopped(EXIT_ENVIRONMENT, exc, stack)
        self._record_stack(stack)
        return self._conclude()

    def _journeys(self, stack: RunningStack) -> None:
        assert self.workers is not None
        if self._boot_started is not None:
            self._phases.append((self._boot_started, time.monotonic()))
        self._record_stack(stack)
        if self._connect_after_boot:
            assert self.plan.endpoint is not None
            self.workers.browser = self._browser_choice(self.plan.endpoint.render(stack.context))
            self._one_worker_over_cdp(self.workers.browser.remote)
            self.workers.start(self.worker_count)
        self.workers.wait_launched()
        if self.unit.error is not None:
            return
        urls = stack.urls
        if self.workers.browser.remote is not None:  # the address the remote browser sees
            urls = {**stack.urls, **stack.browser_urls}
        trace = self.options.trace or self.plan.project.trace
        settings = RunSettings(
            run_id=self.outcome.run_id,
            environment=self.plan.environment.name,
            urls=urls,
            policy=ArtifactPolicy(trace=trace),
            update_snapshots=self.options.update_snapshots,
        )
        started = time.monotonic()
        self.workers.go(settings)
        with StackWatch(stack.deaths, self._environment_died) as watch:
            try:
                self.workers.join()
            except Interrupted as exc:  # no journey starts against a stack going down
                self.workers.stop()
                self._interrupted(exc, "the journeys")  # the reports first, then the teardown
                raise
            except BaseException:
                self.workers.stop()
                raise
            watch.check()  # one last look: a death under the last journey counts too
        self._phases.append((started, time.monotonic()))
        self.outcome.timings["journeys"] = time.monotonic() - started
        self._report_unfinished()
        if watch.error is not None:
            self.outcome.notes.append(f"the environment could not be watched: {watch.error}")

    def _environment_died(self, death: ServiceDeath) -> None:
        """From the watch thread: no further journey starts against a dead stack."""
        assert self.workers is not None
        self._not_run = [planned.id for planned in self.workers.stop()]
        self.outcome.environment_failure = convert.environment_failure(death, self._not_run)
        stopped = f"; {len(self._not_run)} journey(s) will not run" if self._not_run else ""
        self.progress.say(f"error: the environment died: {death.describe()}{stopped}")

    def _report_unfinished(self, why: str | None = None) -> None:
        """A journey whose worker died never reports itself: it must not vanish from the gate."""
        if self.unit.error is not None:  # the journeys were stopped on purpose: exit 2
            return
        finished = {j.id for j in self.outcome.journeys}
        death = self.outcome.environment_failure
        for planned in self.plan.journeys:
            if planned.id not in finished:
                lost = HarnessError("its worker stopped before it could finish it")
                result = crashed(planned, lost)
                if death is not None and planned.id in self._not_run:
                    why = f"not run: the environment died ({death.describe()})"
                if why is not None:
                    result = replace(result, reason=why)
                self._journey_finished(Finished(planned, result))

    def _record_stack(self, stack: RunningStack | None) -> None:
        timings = stack.timings if stack is not None else self._stack_timings
        if stack is None and self._boot_started is not None:  # it failed: how long it tried
            tried = time.monotonic() - self._boot_started - timings.get("teardown", 0.0)
            self.outcome.timings["boot"] = max(tried, 0.0)
        for phase in ("boot", "teardown"):
            if phase in timings:
                self.outcome.timings[phase] = timings[phase]
        per_service = stack.service_timings if stack is not None else {}
        held_by = stack.boot_held_by if stack is not None else None
        self.outcome.services = services_of(self.outcome.folder, per_service, held_by)

    # --- callbacks from the worker and unit-test threads ------------------------------------

    def _journey_finished(self, finished: Finished) -> None:
        journey = convert.report_journey(
            finished.planned, finished.result, self.outcome.folder, self.plan.project.root
        )
        with self.outcome.lock:
            self.outcome.journeys.append(journey)
            self.outcome.traffic += convert.traffic_of(finished.result, journey.id)
        self.progress.journey(journey)

    def _unit_finished(self, run: UnitRun) -> None:
        self.progress.unit(report_unit_suites([run])[0])

    def _unit_failed(self, error: HarnessError) -> None:
        self.progress.say(f"error: {error}")
        if self.workers is not None:
            self.workers.stop()  # the gate cannot be decided: no journey need start

    # --- the ways a run ends -------------------------------------------------------------

    def _conclude(self) -> int:
        try:
            self.outcome.unit_runs = self.unit.result() if self.options.unit else ()
        except HarnessError as exc:
            self.outcome.unit_runs = self.unit.done()
            return self._stopped(exc.exit_code, exc)
        if self.options.unit:
            self.outcome.timings["unit"] = self.unit.duration_s
        if self.unit.interval is not None:
            self.outcome.timings["overlap"] = overlap(self.unit.interval, self._phases)
        started = time.monotonic()
        finished = conclude(self.outcome, self.plan)
        self.outcome.timings["crosscheck"] = time.monotonic() - started
        finished = replace(finished, run=self.outcome.run_info())
        return finish(finished, self.outcome, self.progress)

    def _stopped(self, code: int, error: HarnessError, stack: RunningStack | None = None) -> int:
        self._stop_everything()
        self._record_stack(stack)
        self.outcome.unit_runs = self.unit.done()
        if self.unit.runs:
            self.outcome.timings["unit"] = self.unit.duration_s
        if code not in (EXIT_BAD_INPUT, EXIT_ENVIRONMENT):
            code = EXIT_BAD_INPUT
        self.progress.say(f"error: {error}")
        return finish(self.outcome.stopped_early(code, str(error)), self.outcome, self.progress)

    def _interrupted(self, signal: Interrupted, phase: str) -> None:
        """SIGINT, SIGTERM or SIGHUP: the reports of what finished, the gate failed with the
        signal's exit code (128 + its number, as the process itself exits) and why."""
        if self._reported:
            return
        self._reported = True
        with shielded():  # a second signal must not cut the reports short
            if self.workers is not None:
                self._not_run = [planned.id for planned in self.workers.stop()]
                self.workers.join(timeout_s=5)
            done = len(self.outcome.journeys)
            self._report_unfinished(f"not run: the run was {signal}")
            self.outcome.unit_runs = self.unit.done()
            finished = conclude(self.outcome, self.plan)
            name = _signal_name(signal.signum)
            stopped = len(self.outcome.journeys) - done
            reason = (
                f"interrupted by {name} during {phase}: {done} journey(s) finished, "
                f"{stopped} stopped or not run; the gate cannot pass"
            )
            gate = finished.gate
            notes = (*gate.reasons, *gate.notes)
            gate = replace(gate, passed=False, exit_code=signal.exit_code, reasons=(reason,))
            gate = replace(gate, notes=notes)
            finished = replace(finished, gate=gate, run=self.outcome.run_info())
            self.progress.say(f"error: {reason}; writing the reports, then tearing down")
            finish(finished, self.outcome, self.progress)

    def _teardown_failed(self, error: HarnessError, stack: RunningStack | None) -> int:
        """The journeys ran; only the teardown failed: the gate still stands, with a note."""
        self.outcome.notes.append(f"teardown: {error}")
        self._record_stack(stack)
        return self._conclude()

    def _stop_everything(self) -> None:
        if self.workers is not None:
            self.workers.stop()
            self.workers.close(timeout_s=10)
        self.unit.cancel()


def _prefetch() -> None:
    """What only the run's end needs, made ready while this process would otherwise wait for the
    browser's launch and the stack's boot: the history store's import (SQLAlchemy, 0.2 s of
    CPU), the HTML report's template. Measured in the journeys instead, where it competed with
    the browser for the CPU, the run took longer (10 rounds: median 8.8 s against 9.5 s)."""
    from harness.report.html_report import prefetch as html_prefetch

    history_store_prefetch()
    html_prefetch()


def _signal_name(signum: int) -> str:
    try:
        return signal_module.Signals(signum).name
    except ValueError:
        return f"signal {signum}"
