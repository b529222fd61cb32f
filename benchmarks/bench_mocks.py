"""How long finding the API response mocks of 1,000 test files takes (half Python, half
JavaScript/TypeScript; target: under 2 s), against only reading and parsing the same files
(``ast.parse``, tree-sitter, in one process) in the same run. From 200 files on the finder
reads in forked workers, one per core; its CPU time counts theirs.

Run: ``.venv/bin/python benchmarks/bench_mocks.py [COUNT]``. Prints seconds and the ratio.
"""

from __future__ import annotations

import ast
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from harness.core.js_syntax import parse_js
from harness.core.response_mocks import find_response_mocks

TARGET_SECONDS = 2.0

PYTHON = """\
import json
from pathlib import Path
from unittest.mock import MagicMock, patch

import httpx
import pytest
import responses
import respx

FIXTURES = Path(__file__).parent / "fixtures"
USER = {{"id": {n}, "name": "User {n}", "roles": ["admin"], "address": {{"city": "Oslo"}}}}


@pytest.fixture
def api():
    client = MagicMock()
    client.get_user.return_value = USER
    client.list_orders.return_value = [{{"id": 1, "total": 1200}}, {{"id": 2, "total": 300}}]
    return client


def helper():
    response = MagicMock()
    response.status_code = 200
    response.json.return_value = {{"items": [], "count": 0, "page": {n}}}
    return response


def test_greets(api):
    assert api.get_user()["name"] == "User {n}"


def test_helper():
    assert helper().json()["count"] == 0


@responses.activate
def test_responses():
    responses.add(responses.GET, "http://api.test/api/users/{n}", json={{"id": {n}}}, status=200)


@respx.mock
def test_respx():
    respx.get("http://api.test/api/cart").mock(
        return_value=httpx.Response(200, json={{"lines": [], "count": {n}}})
    )


def test_fixture():
    data = json.load(open(FIXTURES / "cart.json"))
    assert data["count"] == 2


@patch("shop.clock.now", return_value=0)
def test_not_an_api(now):
    with patch("time.time", return_value=1.0):
        assert now() == 0


class TestOrders:
    def setup_method(self):
        self.api = MagicMock()
        self.api.get_order.side_effect = [{{"id": 1, "status": "paid"}}, {{"id": 2}}]

    def test_orders(self):
        assert self.api.get_order()["status"] == "paid"

    def test_more(self, api):
        assert api.list_orders()
"""

TYPESCRIPT = """\
import {{ afterAll, beforeAll, beforeEach, describe, expect, it, vi }} from 'vitest';
import {{ http, HttpResponse }} from 'msw';
import {{ setupServer }} from 'msw/node';
import cart from './fixtures/cart.json';
import * as api from '../src/api';

vi.mock('../src/api', () => ({{ getUser: vi.fn(async () => ({{ id: {n}, name: 'Module' }})) }}));

const user = {{ id: {n}, name: 'User {n}', roles: ['admin'], address: {{ city: 'Oslo' }} }};
const server = setupServer(
  http.get('/api/cart', () => HttpResponse.json(cart)),
  http.get('/api/users/:id', () => HttpResponse.json(user, {{ status: 200 }})),
);
beforeAll(() => server.listen());
afterAll(() => server.close());

describe('users {n}', () => {{
  beforeEach(() => {{
    vi.mocked(api.getUser).mockResolvedValue({{ id: 1, name: 'Test' }});
  }});

  it('greets', async () => {{
    expect((await api.getUser(1)).name).toBe('Test');
  }});

  it('implements', async () => {{
    vi.mocked(api.getUser).mockImplementation(async () => ({{ id: 2, name: 'Impl' }}));
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
  }});

  describe('fetch', () => {{
    it('stubs fetch', async () => {{
      vi.spyOn(globalThis, 'fetch').mockResolvedValue(
        new Response(JSON.stringify({{ items: [], count: {n} }}), {{ status: 200 }}),
      );
      server.use(http.post('/api/orders', () => HttpResponse.json({{ id: 3 }}, {{ status: 201 }})));
    }});

    it('reads the fixture', () => {{
      expect(cart.count).toBe(2);
    }});
  }});
}});
"""

CART = '{"lines": [{"sku": "M1", "quantity": 2}], "count": 2}\n'


def generate(folder: Path, count: int) -> list[Path]:
    (folder / "fixtures").mkdir()
    (folder / "fixtures" / "cart.json").write_text(CART)
    files = []
    for n in range(count):
        path = folder / (f"test_{n:04d}.py" if n % 2 else f"users_{n:04d}.test.ts")
        path.write_text((PYTHON if n % 2 else TYPESCRIPT).format(n=n))
        files.append(path)
    return files


def read_and_parse(files: list[Path]) -> None:
    """The reference: every file read and parsed, nothing looked at."""
    for path in files:
        if path.suffix == ".py":
            ast.parse(path.read_bytes())
        else:
            parse_js(path.read_bytes(), path)


def _cpu() -> float:
    """CPU seconds of this process and of the workers it waited for (the finder forks some)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(run: Callable[[], object]) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), _cpu()
    result = run()
    return time.perf_counter() - wall, _cpu() - cpu, result


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        files = generate(root, count)
        read_and_parse(files[:20])  # warm the imports and the grammars, not the files
        reference, reference_cpu, _ = timed(lambda: read_and_parse(files))
        found, found_cpu, mocks = timed(lambda: find_response_mocks(root, files))
    assert isinstance(mocks, tuple)
    verdict = "met" if found < TARGET_SECONDS else "MISSED"
    target = f"target under {TARGET_SECONDS:.0f} s: {verdict}"
    # On a shared machine wall-clock time depends on the neighbours; CPU time does not.
    load = f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    print(f"load average (1 min):              {load}")
    print(f"find_response_mocks, {count} files: {found:.2f} s ({target}), cpu {found_cpu:.2f} s")
    print(f"  mocks found:                     {len(mocks)}")
    print(f"read + parse of the same files:    {reference:.2f} s, cpu {reference_cpu:.2f} s")
    print(
        f"ratio find / read+parse:           {found / reference:.2f}"
        f" (cpu {found_cpu / reference_cpu:.2f})"
    )


if __name__ == "__main__":
    main()
