"""The policy limits of ``gate`` (flaky rate, mock-to-real ratio, E2E and integration coverage):
each limit set is one :class:`PolicyCheck` with the run's figure against it, and each journey or
feature that breaks it one reason naming it and its figure. :func:`harness.core.gate.decide_gate`
turns unmet limits into exit 6."""

from __future__ import annotations

import math
from collections.abc import Sequence

from harness.core.project import GatePolicy
from harness.report.model import Feature, Journey, PolicyCheck, UnitSuite

#: Features named in one coverage reason before "and N more".
_NAMED = 5


def policy_checks(
    policy: GatePolicy,
    journeys: Sequence[Journey],
    features: Sequence[Feature],
    suites: Sequence[UnitSuite] = (),
) -> tuple[PolicyCheck, ...]:
    """One check per limit that ``policy`` sets, in the order harness.yml documents them."""
    checks = []
    if policy.max_flaky_rate is not None:
        checks.append(_flaky_rates(journeys, policy.max_flaky_rate))
    if policy.max_mock_ratio is not None:
        checks.append(_mock_ratios(features, policy.max_mock_ratio))
    if policy.min_e2e_coverage is not None:
        checks.append(_e2e_coverage(features, policy.min_e2e_coverage))
    if policy.min_integration_coverage is not None:
        checks.append(_integration_coverage(features, suites, policy.min_integration_coverage))
    return tuple(checks)


def policy_reasons(
    policy: GatePolicy,
    journeys: Sequence[Journey],
    features: Sequence[Feature],
    suites: Sequence[UnitSuite] = (),
) -> list[str]:
    """Every reason of every limit the run does not meet; [] when all are met or none is set."""
    return [r for c in policy_checks(policy, journeys, features, suites) for r in c.reasons]


def _flaky_rates(journeys: Sequence[Journey], limit: float) -> PolicyCheck:
    known = [(j, h) for j in journeys if (h := j.history) is not None and h.runs]
    reasons = tuple(
        f"journey flaky too often: {j.name} ({j.file}) was flaky in {h.flaky} of its last "
        f"{h.runs} run(s): flaky rate {h.flaky_rate:.2f} > max_flaky_rate {limit:g}"
        for j, h in known
        if h.flaky_rate > limit
    )
    worst = max(known, key=lambda pair: pair[1].flaky_rate, default=None)
    value = worst[1].flaky_rate if worst else None
    return PolicyCheck("max_flaky_rate", limit, value, worst[0].name if worst else None, reasons)


def mocking_and_real(feature: Feature) -> tuple[int, int]:
    """How many of the feature's run unit tests mock something, and how many mock nothing."""
    known = [t.mocks for t in feature.tests if t.mocks is not None and t.status != "skipped"]
    return sum(1 for m in known if m > 0), sum(1 for m in known if m == 0)


def _ratio(feature: Feature) -> float | None:
    mocking, real = mocking_and_real(feature)
    if not mocking:
        return 0.0 if real else None
    return mocking / real if real else math.inf


def _mock_ratios(features: Sequence[Feature], limit: float) -> PolicyCheck:
    ratios = [(f, r) for f in features if (r := _ratio(f)) is not None]
    reasons = []
    for feature, ratio in ratios:
        if ratio > limit:
            mocking, real = mocking_and_real(feature)
            shown = f"{ratio:.2f}" if math.isfinite(ratio) else "infinite"
            reasons.append(
                f"feature {feature.id} mocks too much: {mocking} mocking unit test(s) per "
                f"{real} non-mocking: mock ratio {shown} > max_mock_ratio {limit:g}"
            )
    worst = max(ratios, key=lambda pair: pair[1], default=None)
    return PolicyCheck(
        "max_mock_ratio",
        limit,
        worst[1] if worst else None,
        worst[0].id if worst else None,
        tuple(reasons),
    )


def _listed(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:_NAMED])
    return shown + (f" and {len(ids) - _NAMED} more" if len(ids) > _NAMED else "")


def _coverage(
    name: str, what: str, features: Sequence[Feature], missing: list[str], limit: float
) -> PolicyCheck:
    if not features:
        return PolicyCheck(name, limit, None, None, ())
    covered = len(features) - len(missing)
    share = covered / len(features)
    if share >= limit:
        return PolicyCheck(name, limit, share, None, ())
    reason = (
        f"{name} not met: {what} {share:.2f} ({covered} of {len(features)} feature(s)) "
        f"< {limit:g}; without: {_listed(sorted(missing))}"
    )
    return PolicyCheck(name, limit, share, _listed(sorted(missing)), (reason,))


def _e2e_coverage(features: Sequence[Feature], limit: float) -> PolicyCheck:
    missing = [f.id for f in features if not f.journeys]
    return _coverage("min_e2e_coverage", "e2e coverage", features, missing, limit)


def _integration_covered(feature: Feature, integration: set[str]) -> bool:
    tests = [t for t in feature.tests if t.suite in integration and t.status != "skipped"]
    return bool(tests) and all(t.status == "passed" for t in tests)


def _integration_coverage(
    features: Sequence[Feature], suites: Sequence[UnitSuite], limit: float
) -> PolicyCheck:
    integration = {s.name for s in suites if s.kind == "integration"}
    missing = [f.id for f in features if not _integration_covered(f, integration)]
    name, what = "min_integration_coverage", "integration coverage"
    return _coverage(name, what, features, missing, limit)
