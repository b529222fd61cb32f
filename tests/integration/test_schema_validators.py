"""The published schemas (``harness schema KIND``) as the two most used validators see them:
Ajv in strict mode (editors, CI tools on Node) and check-jsonschema (PyPI, pre-commit). Ajv is
installed, pinned by tests/tools/package-lock.json, into the git-ignored build/schema-tools."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness.cli.schema import SCHEMAS, load_schema
from tests.conftest import ROOT, unavailable

TOOLS = ROOT / "tests" / "tools"
CACHE = ROOT / "build" / "schema-tools"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
#: Files of this project that each published schema must accept.
EXAMPLES = {
    "journey": sorted(str(p) for p in (ROOT / "journeys").rglob("*.journey.yml")),
    "steps": sorted(str(p) for p in (ROOT / "journeys").rglob("*.steps.yml")),
    "environment": sorted(str(p) for p in (ROOT / "environments").glob("*.yml")),
    "project": [str(ROOT / "harness.yml")],
}


@pytest.fixture(scope="module")
def node_modules() -> Path:
    """Ajv and ajv-formats at the pinned versions, installed once and kept between runs."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        unavailable("npm and node are needed to check the schemas with Ajv")
    lock = CACHE / "package-lock.json"
    if not (lock.is_file() and filecmp.cmp(lock, TOOLS / "package-lock.json", shallow=False)):
        CACHE.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy(TOOLS / name, CACHE / name)
        result = subprocess.run(
            [str(npm), "ci", "--no-audit", "--no-fund"],
            cwd=CACHE,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if result.returncode != 0:
            lock.unlink(missing_ok=True)  # try again next time
            unavailable(f"npm ci of the schema tools failed:\n{result.stderr[-2000:]}")
    return CACHE / "node_modules"


@pytest.fixture(scope="module")
def schema_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each schema exactly as ``harness schema KIND`` prints it."""
    folder = tmp_path_factory.mktemp("schemas")
    files = {}
    for kind in sorted(SCHEMAS):
        result = subprocess.run(
            [sys.executable, "-m", "harness", "schema", kind],
            capture_output=True,
            text=True,
            check=True,
        )
        files[kind] = folder / f"{kind}.json"
        files[kind].write_text(result.stdout)
    return files


def test_ajv_strict_compiles_every_published_schema(
    node_modules: Path, schema_files: dict[str, Path]
) -> None:
    result = subprocess.run(
        ["node", str(TOOLS / "ajv-check.cjs"), *map(str, schema_files.values())],
        env={**os.environ, "NODE_PATH": str(node_modules)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("ok ") == len(SCHEMAS)


def test_ajv_strict_rejects_an_unknown_keyword(node_modules: Path, tmp_path: Path) -> None:
    """The check can fail: the annotations the validator reads would not pass."""
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"type": "string", "x-expected": "text"}))
    result = subprocess.run(
        ["node", str(TOOLS / "ajv-check.cjs"), str(bad)],
        env={**os.environ, "NODE_PATH": str(node_modules)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert 'unknown keyword: "x-expected"' in result.stdout


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_check_jsonschema_accepts_the_schema_and_the_projects_own_files(
    kind: str, schema_files: dict[str, Path]
) -> None:
    assert CHECK_JSONSCHEMA.is_file(), "check-jsonschema comes with the test extra"
    meta = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--check-metaschema", str(schema_files[kind])],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert meta.returncode == 0, meta.stdout + meta.stderr
    if kind in EXAMPLES:
        assert EXAMPLES[kind]
        files = subprocess.run(
            [str(CHECK_JSONSCHEMA), "--schemafile", str(schema_files[kind]), *EXAMPLES[kind]],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert files.returncode == 0, files.stdout + files.stderr


def test_no_published_schema_keeps_an_annotation() -> None:
    for kind in SCHEMAS:
        assert '"x-' not in json.dumps(load_schema(kind)), kind
