"""The steps that check what the user sees: ``expect_screenshot`` (against a baseline image),
``expect_aria`` (Playwright's ARIA snapshot) and ``expect_accessible`` (axe-core's rules).

A screenshot is taken with animations stopped and the caret hidden, again and again until it
matches the baseline or two shots in a row are the same (the page is still: a real
difference); a mismatch keeps the baseline, the shot and a diff image in the attempt's
evidence. axe-core comes from the ``axe-playwright-python`` wheel: nothing is fetched at run time.
"""

from __future__ import annotations

import difflib
import functools
import json
import os
import time
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from harness.browser.assertions import NO_ELEMENT, ExpectationFailed
from harness.browser.locators import resolve
from harness.browser.session import Session, timeout_words
from harness.core.journey import actions as a
from harness.core.paths import inside, relative_path
from harness.core.visual import Comparison, baseline_path, compare, read_png, same_pixels

if TYPE_CHECKING:
    from playwright.sync_api import Locator

#: Pauses between two screenshots while the page settles (the last one repeats).
_SETTLE_PAUSES_S = (0.0, 0.1, 0.25, 0.5, 1.0)
#: Time a step always leaves itself for one screenshot, even when its budget ran low.
_MIN_SHOT_MS = 1000.0


# --- expect_screenshot ------------------------------------------------------------------------


def expect_screenshot(session: Session, action: a.ExpectScreenshot, ms: float) -> None:
    if session.journey_path is None:
        raise ExpectationFailed("a journey file", "none", "expect_screenshot needs a journey file")
    baseline = baseline_path(session.journey_path, action.name)
    shown = relative_path(baseline, session.project_root)
    if not inside(baseline, session.project_root):  # validation says so first, but not for
        _outside(baseline, session.project_root)  # a shared step's: it depends on the journey
    expected = _baseline(baseline, shown, session.update_snapshots)
    shot, comparison = _settled_shot(session, action, ms, expected)
    if comparison is not None and comparison.matches(action.max_diff_pixels):
        return
    if session.update_snapshots:
        baseline.parent.mkdir(parents=True, exist_ok=True)
        baseline.write_bytes(shot)
        session.evidence.keep("snapshot-written", baseline, action.name)
        session.warn(f"wrote the screenshot baseline {shown} (--update-snapshots)")
        return
    name = action.name
    actual = session.evidence.write("snapshot-actual", f"{name}-actual.png", shot, name)
    if expected is None or comparison is None:
        raise ExpectationFailed(
            f"the baseline {shown}",
            f"no baseline yet; this run's screenshot: {actual.name}",
            f"no screenshot baseline {shown}: run `harness run --update-snapshots` to write it "
            "(then review and commit it)",
        )
    _keep_mismatch(session, action.name, expected, comparison)
    allowed = f"at most {action.max_diff_pixels} differing pixels" if action.max_diff_pixels else ""
    raise ExpectationFailed(
        f"the baseline {shown}" + (f" ({allowed})" if allowed else ""),
        comparison.describe(),
        f"the screenshot differs from its baseline: {comparison.describe()}; expected, actual "
        f"and diff images are in the evidence (`harness run --update-snapshots` accepts it)",
    )


def _outside(baseline: Path, root: Path) -> NoReturn:
    written = Path(os.path.relpath(os.path.abspath(baseline), os.path.abspath(root))).as_posix()
    leads = os.path.realpath(baseline)
    raise ExpectationFailed(
        "a baseline inside the project",
        leads,
        f"the screenshot baseline {written} leads outside the project, to {leads}: make the "
        "folders on its way real folders, not symlinks",
    )


def _baseline(path: Path, shown: str, replacing: bool) -> bytes | None:
    """The baseline's PNG; None when there is none (or it is broken and about to be replaced)."""
    if not path.is_file():
        return None
    data = path.read_bytes()
    try:
        read_png(data)
    except ValueError as exc:
        if replacing:
            return None
        raise ExpectationFailed(
            f"a PNG image at {shown}",
            str(exc),
            f"the screenshot baseline {shown} is not a PNG image: "
            "`harness run --update-snapshots` replaces it",
        ) from exc
    return data


def _keep_mismatch(session: Session, name: str, expected: bytes, comparison: Comparison) -> None:
    session.evidence.write("snapshot-expected", f"{name}-expected.png", expected, name)
    if comparison.diff_png is not None:
        session.evidence.write("snapshot-diff", f"{name}-diff.png", comparison.diff_png, name)


def _settled_shot(
    session: Session, action: a.ExpectScreenshot, ms: float, expected: bytes | None
) -> tuple[bytes, Comparison | None]:
    """The shot that matches ``expected``, else the first one that two shots in a row agree
    on, and its comparison with ``expected``. When the page never stands still, the last shot
    (compared), except that a baseline is never written from a moving page."""
    deadline = time.monotonic() + ms / 1000
    previous: bytes | None = None
    pauses = iter(_SETTLE_PAUSES_S)
    while True:
        # in the page's own loop: a sleep would stop the other workers, fibers of this thread
        session.page.wait_for_timeout(next(pauses, _SETTLE_PAUSES_S[-1]) * 1000)
        shot = _shot(session, action, max((deadline - time.monotonic()) * 1000, _MIN_SHOT_MS))
        comparison = (
            compare(expected, shot, action.threshold, action.max_diff_pixels)
            if expected is not None
            else None
        )
        if comparison is not None and comparison.matches(action.max_diff_pixels):
            return shot, comparison
        if previous is not None and same_pixels(previous, shot):
            return shot, comparison
        if time.monotonic() >= deadline:
            break
        previous = shot
    if session.update_snapshots:
        raise ExpectationFailed(
            "a page that stays still for two screenshots",
            "it kept changing",
            f"the page never stood still for two screenshots in {timeout_words(ms / 1000)}, "
            "so no baseline was written: mask what moves (mask: [{testid: clock}])",
        )
    return shot, comparison


def _shot(session: Session, action: a.ExpectScreenshot, ms: float) -> bytes:
    masks = [resolve(session.page, m, session.text) for m in action.mask]
    options: dict[str, Any] = {
        "animations": "disabled",
        "caret": "hide",
        "scale": "css",
        "mask": masks,
        "timeout": ms,
    }
    if action.element is not None:
        element = resolve(session.page, action.element, session.text)
        return element.screenshot(**options)
    return session.page.screenshot(full_page=action.full_page, **options)


# --- expect_aria ------------------------------------------------------------------------------


def expect_aria(session: Session, action: a.ExpectAria, ms: float) -> None:
    from playwright.sync_api import expect

    target = _target(session, action.locator)
    snapshot = str(session.render(action.snapshot))
    try:
        expect(target).to_match_aria_snapshot(snapshot, timeout=ms)
    except AssertionError as exc:
        raise ExpectationFailed(
            snapshot,
            _aria_tree(target) or NO_ELEMENT,
            "the accessibility tree does not match the snapshot within "
            f"{timeout_words(ms / 1000)} (expected: the snapshot; actual: the element's tree)",
            locator=action.locator,
        ) from exc


def _target(session: Session, spec: Any) -> Locator:
    if spec is None:
        return session.page.locator("body")
    return resolve(session.page, spec, session.text)


def _aria_tree(target: Locator) -> str | None:
    """The element's ARIA snapshot now, or None when it is not there."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        return target.aria_snapshot(timeout=1000)
    except PlaywrightError:
        return None


# --- expect_accessible ------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def axe_script() -> str:
    """axe-core, as the ``axe-playwright-python`` wheel ships it."""
    return (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def expect_accessible(session: Session, action: a.ExpectAccessible, ms: float) -> None:
    page = session.page
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_script())
    _check_names(session, action)
    options = _axe_options(action)
    if action.locator is None:
        results = page.evaluate("(options) => axe.run(document, options)", options)
    else:
        target = resolve(page, action.locator, session.text)
        target.wait_for(state="attached", timeout=ms)
        results = target.evaluate("(element, options) => axe.run(element, options)", options)
    violations = [v for v in results.get("violations", []) if action.counts(v.get("impact"))]
    if not violations:
        return
    _keep_results(session, violations)
    lines = [_violation_line(v) for v in violations]
    noun = "violation" if len(violations) == 1 else "violations"
    least = "" if action.impact == "minor" else f" of impact {action.impact} or worse"
    raise ExpectationFailed(
        f"no accessibility violation{least}",
        "\n".join(lines),
        f"{len(violations)} accessibility {noun}{least}: "
        + ", ".join(f"{v['id']} ({v.get('impact')})" for v in violations),
        locator=action.locator,
    )


def _axe_options(action: a.ExpectAccessible) -> dict[str, Any]:
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if action.rules:
        options["runOnly"] = {"type": "rule", "values": list(action.rules)}
    elif action.tags:
        options["runOnly"] = {"type": "tag", "values": list(action.tags)}
    if action.ignore:
        options["rules"] = {rule: {"enabled": False} for rule in action.ignore}
    return options


def _check_names(session: Session, action: a.ExpectAccessible) -> None:
    """Rule ids and tags axe does not know fail the step, with the closest it knows."""
    known = session.page.evaluate(
        "() => axe.getRules().map(rule => ({id: rule.ruleId, tags: rule.tags}))"
    )
    rules = {rule["id"] for rule in known}
    tags = {tag for rule in known for tag in rule["tags"]}
    for kind, given, valid in (
        ("rule", (*action.rules, *action.ignore), rules),
        ("tag", action.tags, tags),
    ):
        for name in given:
            if name not in valid:
                close = difflib.get_close_matches(name, sorted(valid), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise ExpectationFailed(
                    f"an axe {kind}", repr(name), f"axe-core has no {kind} '{name}'{hint}"
                )


def _violation_line(violation: dict[str, Any]) -> str:
    nodes = violation.get("nodes", [])
    targets = [_element(node) for node in nodes]
    shown = "; ".join(targets[:5]) + (f"; and {len(targets) - 5} more" if len(targets) > 5 else "")
    count = f"{len(nodes)} element" + ("" if len(nodes) == 1 else "s")
    rule = f"{violation['id']} ({violation.get('impact')})"
    return f"{rule}: {violation.get('help')}: {count}: {shown}"


def _element(node: dict[str, Any]) -> str:
    """``button <button class="pay">Pay</button>``: axe's selector and the element's HTML."""
    selector = ", ".join(str(t) for t in node.get("target", []))
    markup = " ".join(str(node.get("html", "")).split())
    return f"{selector} {markup[:117] + '...' if len(markup) > 120 else markup}".strip()


def _keep_results(session: Session, violations: list[dict[str, Any]]) -> None:
    """The violations as axe gave them (rule, help link, each element's HTML), masked."""
    count = sum(1 for artifact in session.evidence.artifacts if artifact.kind == "accessibility")
    text = session.redactor.mask(json.dumps(violations, indent=2))
    name = "accessibility.json" if count == 0 else f"accessibility-{count + 1}.json"
    session.evidence.write("accessibility", name, text.encode("utf-8"))
