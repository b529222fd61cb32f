"""The example shop, for real: its staging stack boots from local images through the harness,
its unit tests pass against its real Postgres, its journeys pass in Chromium, and with the
``wrapped-api`` defect the cart and checkout journeys fail while every unit test still passes.

Each stack gets a project of its own and is removed, volumes included, once its tests are done;
the fixture checks that nothing labelled with its run is left behind."""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from defusedxml import ElementTree

from harness.core.environment import Environment, load_environment
from harness.stack.boot import boot, new_run_id

ROOT = Path(__file__).resolve().parents[2]
RUN_LABEL = "org.harness.run"
DATABASE_URL = "postgresql://shop:shop@127.0.0.1:${compose.postgres.5432}/shop"
JOURNEYS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "journeys").rglob("*.journey.yml"))
BROKEN_BY_WRAPPED_API = {  # the journeys that read GET /api/cart through the pages' JavaScript
    "journeys/cart/cart.journey.yml",
    "journeys/cart/remove.journey.yml",
    "journeys/checkout/buy.journey.yml",
    "journeys/checkout/validation.journey.yml",
}

pytestmark = [pytest.mark.docker, pytest.mark.timeout(900)]


@dataclass(frozen=True)
class Shop:
    web: str
    database_url: str
    password: str
    defect: str


def staging_with_database() -> Environment:
    """environments/staging.yml, plus a URL for its Postgres (the harness then publishes it)."""
    staging = load_environment(ROOT / "environments" / "staging.yml", ROOT)
    return dataclasses.replace(staging, urls={**staging.urls, "database": DATABASE_URL})


def assert_nothing_left(docker_client: Any, run_id: str) -> None:
    label = {"label": f"{RUN_LABEL}={run_id}"}
    assert docker_client.containers.list(all=True, filters=label) == []
    assert docker_client.networks.list(filters=label) == []
    assert docker_client.volumes.list(filters=label) == []


@pytest.fixture(scope="module")
def stand_in_images(base_image: str) -> None:
    """Writes .env naming the local stand-ins for the public images, as ./run setup does."""
    result = subprocess.run(
        [sys.executable, "scripts/images.py", "env"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def boot_shop(docker_client: Any, tmp: Path, defect: str) -> Iterator[Shop]:
    password = secrets.token_urlsafe(12)
    run_id = new_run_id()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SHOP_PASSWORD", password)
        env.setenv("SHOP_DEFECT", defect)
        with boot(staging_with_database(), tmp / "artifacts", run_id=run_id) as stack:
            yield Shop(stack.urls["web"], stack.urls["database"], password, defect)
    assert_nothing_left(docker_client, run_id)


@pytest.fixture(scope="class")
def shop(
    docker_client: Any, stand_in_images: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Shop]:
    yield from boot_shop(docker_client, tmp_path_factory.mktemp("shop"), defect="")


@pytest.fixture(scope="class")
def broken_shop(
    docker_client: Any, stand_in_images: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Shop]:
    yield from boot_shop(docker_client, tmp_path_factory.mktemp("broken"), defect="wrapped-api")


@pytest.fixture
def wrong_total_shop(
    docker_client: Any, stand_in_images: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Shop]:
    yield from boot_shop(docker_client, tmp_path_factory.mktemp("wrong"), defect="wrong-total")


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


@dataclass(frozen=True)
class PytestRun:
    returncode: int
    output: str
    outcomes: dict[str, str]  # test name -> passed, failed or skipped
    properties: dict[str, set[str]]  # test name -> its feature properties


def run_pytest(args: list[str], junit: Path, **env: str) -> PytestRun:
    """A real pytest in a subprocess, read back from the JUnit XML it writes."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *args, "-p", "no:cacheprovider", f"--junitxml={junit}"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if not junit.is_file():
        raise AssertionError(f"pytest wrote no JUnit XML:\n{result.stdout}{result.stderr}")
    outcomes: dict[str, str] = {}
    properties: dict[str, set[str]] = {}
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        name = f"{case.get('classname')}.{case.get('name')}"
        outcomes[name] = outcome(case)
        properties[name] = {
            p.get("value") for p in case.iter("property") if p.get("name") == "feature"
        }
    return PytestRun(result.returncode, result.stdout + result.stderr, outcomes, properties)


def outcome(case: Any) -> str:
    tags = {child.tag for child in case}
    if tags & {"failure", "error"}:
        return "failed"
    return "skipped" if "skipped" in tags else "passed"


def shop_unit_tests(tmp_path: Path, database_url: str, defect: str = "") -> PytestRun:
    return run_pytest(
        ["examples/shop/tests", "-q"],
        tmp_path / "unit.xml",
        SHOP_TEST_DATABASE_URL=database_url,
        SHOP_DEFECT=defect,
    )


def journeys(tmp_path: Path, shop: Shop, *paths: str) -> PytestRun:
    return run_pytest(
        [*(paths or ["journeys"]), "--base-url", shop.web, "-q", "--output", str(tmp_path / "out")],
        tmp_path / "journeys.xml",
        SHOP_PASSWORD=shop.password,
    )


def verdicts(tmp_path: Path) -> tuple[int, dict[str, str]]:
    """``harness crosscheck`` on the JUnit files that journeys() and shop_unit_tests() wrote."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "harness",
            "crosscheck",
            "--journeys",
            str(tmp_path / "journeys.xml"),
            "--unit",
            str(tmp_path / "unit.xml"),
            "--json",
            str(tmp_path / "verdicts.json"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (tmp_path / "verdicts.json").is_file(), result.stdout + result.stderr
    features = json.loads((tmp_path / "verdicts.json").read_text())["features"]
    return result.returncode, {feature["id"]: feature["verdict"] for feature in features}


def journey_file(test_name: str) -> str:
    """The journey file of a JUnit test name (pytest's classname is the path with dots)."""
    for path in JOURNEYS:
        if test_name.startswith(path.replace("/", ".") + "."):
            return path
    raise AssertionError(f"no journey file for {test_name}")


def failed(run: PytestRun) -> set[str]:
    return {name for name, outcome in run.outcomes.items() if outcome == "failed"}


class TestStaging:
    """The stack as staging runs it: one boot for these tests."""

    def test_the_stack_is_healthy_and_seeded(self, shop: Shop) -> None:
        status, body = get(f"{shop.web}/healthz")
        assert (status, json.loads(body)["checks"]) == (200, {"database": "ok", "redis": "ok"})
        status, page = get(f"{shop.web}/")
        assert status == 200
        assert page.count('data-testid="product-card"') == 8

    def test_unit_tests_pass_against_the_real_database(self, shop: Shop, tmp_path: Path) -> None:
        run = shop_unit_tests(tmp_path, shop.database_url)
        assert run.returncode == 0, run.output
        assert set(run.outcomes.values()) == {"passed"}, run.output  # none skipped: a real Postgres
        repository_tests = [name for name in run.outcomes if "test_repositories" in name]
        assert len(repository_tests) >= 6
        linked = set().union(*run.properties.values())
        assert linked == {"auth", "catalog", "product", "cart", "checkout", "orders"}

    def test_every_journey_passes_in_chromium(self, shop: Shop, tmp_path: Path) -> None:
        run = journeys(tmp_path, shop)
        assert run.returncode == 0, run.output
        assert len(run.outcomes) == len(JOURNEYS) >= 8
        assert set(run.outcomes.values()) == {"passed"}, run.output


class TestWrappedApi:
    """SHOP_DEFECT=wrapped-api: one boot for these tests."""

    def test_wrapped_api_changes_the_cart_response(self, broken_shop: Shop) -> None:
        status, body = get(f"{broken_shop.web}/api/cart")
        assert status == 200
        assert set(json.loads(body)) == {"data"}

    def test_cart_and_checkout_journeys_fail_while_unit_tests_pass(
        self, broken_shop: Shop, tmp_path: Path
    ) -> None:
        # The product page posts to the cart API too, but reads only the POST's answer: it passes.
        run = journeys(
            tmp_path, broken_shop, "journeys/cart", "journeys/checkout", "journeys/product"
        )
        assert run.returncode == 1, run.output
        assert {journey_file(name) for name in failed(run)} == BROKEN_BY_WRAPPED_API, run.output
        assert {journey_file(name) for name in run.outcomes} - BROKEN_BY_WRAPPED_API == {
            "journeys/product/product-page.journey.yml"
        }
        unit_run = shop_unit_tests(tmp_path, broken_shop.database_url, defect="wrapped-api")
        assert set(unit_run.outcomes.values()) == {"passed"}, unit_run.output
        code, found = verdicts(tmp_path)
        assert code == 3
        assert (found["cart"], found["checkout"], found["product"]) == (
            "green-but-broken",
            "green-but-broken",
            "verified",
        )


def test_unit_tests_catch_the_wrong_total_defect(tmp_path: Path) -> None:
    run = run_pytest(
        ["examples/shop/tests", "-q"], tmp_path / "unit.xml", SHOP_DEFECT="wrong-total"
    )
    assert run.returncode == 1, run.output
    assert failed(run)
    assert {feature for name in failed(run) for feature in run.properties[name]} == {"cart"}


def test_wrong_total_makes_the_cart_broken_not_green_but_broken(
    wrong_total_shop: Shop, tmp_path: Path
) -> None:
    journey_run = journeys(tmp_path, wrong_total_shop, "journeys/cart", "journeys/checkout")
    assert {journey_file(name) for name in failed(journey_run)} == {
        "journeys/cart/cart.journey.yml"  # two mugs: the only journey with a quantity above one
    }, journey_run.output
    unit_run = shop_unit_tests(tmp_path, wrong_total_shop.database_url, defect="wrong-total")
    assert unit_run.returncode == 1
    code, found = verdicts(tmp_path)
    assert code == 1
    assert (found["cart"], found["checkout"]) == ("broken", "verified")
