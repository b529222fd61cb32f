"""Where a run ran: the git commit and branch, from the CI's own variables when there are any,
else from ``git`` in the project root (nothing when the project is not a git checkout)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

#: (CI name, variable that says it is this CI, commit variable, branch variables, job variable)
_CIS = (
    (
        "github",
        "GITHUB_ACTIONS",
        "GITHUB_SHA",
        ("GITHUB_HEAD_REF", "GITHUB_REF_NAME"),
        "GITHUB_RUN_ID",
    ),
    ("gitlab", "GITLAB_CI", "CI_COMMIT_SHA", ("CI_COMMIT_REF_NAME",), "CI_JOB_ID"),
    ("buildkite", "BUILDKITE", "BUILDKITE_COMMIT", ("BUILDKITE_BRANCH",), "BUILDKITE_JOB_ID"),
    ("circleci", "CIRCLECI", "CIRCLE_SHA1", ("CIRCLE_BRANCH",), "CIRCLE_BUILD_NUM"),
    ("jenkins", "JENKINS_URL", "GIT_COMMIT", ("BRANCH_NAME", "GIT_BRANCH"), "BUILD_NUMBER"),
)


@dataclass(frozen=True)
class RunContext:
    """The commit, branch and CI job (``github:123456``) of a run, each when known."""

    commit: str | None = None
    branch: str | None = None
    ci: str | None = None


def run_context(root: Path, environ: Mapping[str, str] | None = None) -> RunContext:
    env = os.environ if environ is None else environ
    for name, marker, commit, branches, job in _CIS:
        if env.get(marker):
            branch = next((env[b] for b in branches if env.get(b)), None)
            return RunContext(
                env.get(commit) or _git(root, "rev-parse", "HEAD"),
                branch or _git(root, "rev-parse", "--abbrev-ref", "HEAD"),
                f"{name}:{env.get(job, '')}".rstrip(":"),
            )
    ci = "ci" if env.get("CI", "").lower() == "true" else None
    return RunContext(
        _git(root, "rev-parse", "HEAD"), _git(root, "rev-parse", "--abbrev-ref", "HEAD"), ci
    )


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    text = result.stdout.strip()
    return text if result.returncode == 0 and text else None
