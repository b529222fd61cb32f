#!/usr/bin/env python3
"""Check that ``./run setup`` (and ``./run demo``) work on a fresh machine, on this one, without
disturbing anyone else who uses it.

What a fresh machine lacks is simulated, never made true: nothing is uninstalled and no shared
image is removed.

- The optional tools (debootstrap, chromium, docker-compose) are hidden: every PATH folder that
  holds one is replaced by a folder of links to everything else in it.
- ``apt-get`` is a stand-in (``HARNESS_APT_GET``): ``install PKG`` records the call and exposes
  PKG's programs, which must be installed on this machine already; so the set-up has to ask for
  each one, as it must on a fresh machine.
- The images are made under a namespace of their own (``HARNESS_IMAGE_PREFIX=harness-fresh-<id>``)
  where none exists yet, so the base image really is made with debootstrap and every stand-in
  really is built; they are removed afterwards, with the images the demo built.
- The project is a fresh copy (tracked and untracked-but-not-ignored files: no .venv, no .env,
  no .harness) with a new virtual environment, and the set-up's state folder is empty.

    scripts/fresh_machine.py [--demo] [--keep] [--test [-- PYTEST_ARGS]]
    (exit 0 when every check passed)

``--test`` also runs ``./run test`` in the copy (lint, types, then pytest with the arguments
after ``--``: the whole suite by default, which takes as long as CI).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HIDDEN = ("debootstrap", "chromium", "docker-compose")

APT_STAND_IN = """#!/bin/sh
# apt-get as a fresh machine's would seem: `install` exposes a package's programs (installed
# on this machine already) in the folder that leads PATH; `update` does nothing.
echo "$*" >>"{log}"
[ "$1" = update ] && exit 0
for pkg in "$@"; do
  case "$pkg" in -*|install) continue ;; esac
  files=$(dpkg -L "$pkg" 2>/dev/null) || {{ echo "not installed here: $pkg" >&2; exit 100; }}
  for f in $files; do
    case "$f" in */bin/*|*/sbin/*) [ -f "$f" ] && [ -x "$f" ] && ln -sf "$f" "{installed}/";; esac
  done
done
"""


def say(message: str) -> None:
    print(f"[fresh] {message}", file=sys.stderr, flush=True)


def copy_project(dest: Path) -> None:
    """The files a fresh clone of the working tree has (and untracked ones not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_symlink():  # as git checks it out: the link itself, wherever it leads
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            (dest / name).symlink_to(os.readlink(source))
        elif source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)


def hiding_path(work: Path, path: str) -> str:
    """PATH with every folder that holds a hidden tool replaced by links to the rest of it."""
    folders = []
    for index, folder in enumerate(p for p in path.split(os.pathsep) if p):
        here = Path(folder)
        if not any((here / tool).exists() for tool in HIDDEN):
            folders.append(folder)
            continue
        links = work / "path" / str(index)
        links.mkdir(parents=True)
        for entry in here.iterdir():
            if entry.name not in HIDDEN:
                (links / entry.name).symlink_to(entry)
        folders.append(str(links))
    return os.pathsep.join([str(work / "installed"), *folders])


def fresh_environ(work: Path, prefix: str) -> dict[str, str]:
    (work / "installed").mkdir()
    apt = work / "apt-get"
    apt.write_text(APT_STAND_IN.format(log=work / "apt.log", installed=work / "installed"))
    apt.chmod(0o755)
    drop = ("VIRTUAL_ENV", "HARNESS_VENV", "HARNESS_BROWSER_PATH", "PYTHONPATH", "SHOP_DEFECT")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PATH"] = hiding_path(work, os.environ.get("PATH", os.defpath))
    env.update(
        HARNESS_APT_GET=str(apt),
        HARNESS_IMAGE_PREFIX=prefix,
        XDG_STATE_HOME=str(work / "state"),
        NO_COLOR="1",
    )
    return env


def run(argv: list[str], cwd: Path, env: dict[str, str], log: Path) -> int:
    say(f"{' '.join(argv)} (output: {log})")
    with log.open("w") as out:
        return subprocess.run(
            argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT
        ).returncode


def check_setup(project: Path, work: Path, prefix: str, code: int) -> list[str]:
    problems = [] if code == 0 else [f"./run setup exited {code}"]
    asked = (work / "apt.log").read_text() if (work / "apt.log").is_file() else ""
    for tool in HIDDEN:
        if f"install -y -qq --no-install-recommends {tool}" not in asked:
            problems.append(f"./run setup never installed {tool}, which a fresh machine lacks")
    made = set(images(prefix))
    for name in ("debian:bookworm", "postgres:15", "redis:7", "python:3.11"):
        if f"{prefix}/{name}" not in made:
            problems.append(f"./run setup did not make the image {prefix}/{name}")
    env_file = (project / ".env").read_text() if (project / ".env").is_file() else ""
    if f"={prefix}/" not in env_file:
        problems.append(".env does not name the stand-ins made under the new namespace")
    return problems


def check_demo(project: Path, code: int) -> list[str]:
    problems = [] if code == 0 else [f"./run demo exited {code}"]
    reports = sorted((project / ".harness" / "runs").glob("*/report.json"))
    if not reports:
        return [*problems, "./run demo wrote no report.json"]
    features = json.loads(reports[-1].read_text())["features"]
    problems += [
        f"feature {f['id']} is {f['verdict']}" for f in features if f["verdict"] != "verified"
    ]
    return problems if features else [*problems, "the demo's report names no feature"]


def images(prefix: str) -> list[str]:
    listed = subprocess.run(
        ["docker", "image", "ls", "--format", "{{.Repository}}:{{.Tag}}"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    return [name for name in listed if name.startswith(prefix + "/")]


def remove_images(prefix: str, project: Path) -> None:
    """Only what this check made: its namespace, and the images built for the copy's stacks."""
    built = subprocess.run(
        ["docker", "image", "ls", "--format", "{{.Repository}}:{{.Tag}}"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    ours = images(prefix) + [name for name in built if _built_for(name, project)]
    if ours:
        subprocess.run(["docker", "image", "rm", "-f", *ours], capture_output=True, check=False)


def _built_for(image: str, project: Path) -> bool:
    """``harness-<env>-<hash of the env file's path>``: images Compose built for the copy."""
    import hashlib

    for env_file in (project / "environments").glob("*.yml"):
        digest = hashlib.sha256(str(env_file.resolve()).encode()).hexdigest()[:8]
        if image.startswith("harness-") and f"-{digest}" in image.split(":")[0]:
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", action="store_true", help="also run ./run demo in the copy")
    parser.add_argument("--keep", action="store_true", help="keep the copy and its images")
    parser.add_argument("--test", action="store_true", help="also run ./run test in the copy")
    parser.add_argument("pytest_args", nargs=argparse.REMAINDER, help="-- then pytest's arguments")
    args = parser.parse_args(argv)
    pytest_args = [a for a in args.pytest_args if a != "--"] if args.test else []
    if os.geteuid() != 0:
        say("this check runs the set-up's installing path, which needs root")
        return 2
    prefix = f"harness-fresh-{secrets.token_hex(4)}"
    work = Path(tempfile.mkdtemp(prefix="harness-fresh-"))
    project = work / "project"
    project.mkdir()
    try:
        copy_project(project)
        env = fresh_environ(work, prefix)
        code = run([str(project / "run"), "setup"], project, env, work / "setup.log")
        problems = check_setup(project, work, prefix, code)
        if args.demo and not problems:
            env["SHOP_PASSWORD"] = secrets.token_hex(8)
            code = run([str(project / "run"), "demo"], project, env, work / "demo.log")
            problems += check_demo(project, code)
        if args.test and not problems:
            test = [str(project / "run"), "test", *pytest_args]
            if (code := run(test, project, env, work / "test.log")) != 0:
                problems.append(f"./run test exited {code}")
        for problem in problems:
            say(f"FAILED: {problem}")
        if problems:
            for log in ("setup.log", "demo.log", "test.log"):
                if (work / log).is_file():
                    tail = (work / log).read_text(errors="replace").splitlines()[-25:]
                    say(f"last lines of {log}:\n" + "\n".join(tail))
        else:
            done = ["set-up", *(["demo"] if args.demo else []), *(["test"] if args.test else [])]
            say(f"passed: {' and '.join(done)} on a fresh machine")
        return 1 if problems else 0
    finally:
        if args.keep:
            say(f"kept: {work} and the images {prefix}/*")
        else:
            remove_images(prefix, project)
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
