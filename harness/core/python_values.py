"""Static values of Python test code: the JSON literal an expression stands for (names followed
to their assignment), the file path it builds (``Path(__file__).parent / "fixtures" / "x.json"``)
and the JSON fixture file it loads (``json.load(open(...))``, ``json.loads(p.read_text())``)."""

from __future__ import annotations

import ast
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from harness.core.json_fixtures import JsonFiles, JsonFixture
from harness.core.python_mocks import dotted_name
from harness.core.response_mock import UNKNOWN

_MAX_DEPTH = 20  # names followed through names, and nesting; a cycle ends here
_JSON_LOADERS = {
    f"{module}.{function}"
    for module in ("json", "orjson", "ujson", "simplejson")
    for function in ("load", "loads")
}
_PATH_TYPES = {"Path", "PurePath", "PosixPath", "pathlib.Path", "pathlib.PurePath"}
_SAME_PATH = {"resolve", "absolute", "expanduser"}
_OS_PATH = {"os.path.abspath", "os.path.realpath", "os.path.normpath", "str", "os.fspath"}


class Scope:
    """What names stand for where a mock is written: the function's own assignments (and
    ``with ... as`` names), then the module's; and where relative paths are looked up."""

    def __init__(
        self,
        file: Path,
        root: Path,
        aliases: Mapping[str, str],
        names: Mapping[str, ast.expr],
        files: JsonFiles,
        parent: Scope | None = None,
        helpers: Mapping[str, ast.FunctionDef | ast.AsyncFunctionDef] | None = None,
    ) -> None:
        self.file, self.root, self.aliases, self.names, self.parent = (
            file, root, aliases, names, parent,
        )  # fmt: skip
        self.files = files
        inherited = parent.helpers if parent is not None else {}
        self.helpers: Mapping[str, ast.FunctionDef | ast.AsyncFunctionDef] = (
            helpers if helpers is not None else inherited
        )
        self._dotted: dict[int, str] = {}

    def lookup(self, name: str) -> ast.expr | None:
        found = self.names.get(name)
        if found is None and self.parent is not None:
            return self.parent.lookup(name)
        return found

    def dotted(self, node: ast.AST) -> str:
        """A call's or attribute's dotted name through the module's imports (worked out once
        per node: several readers ask)."""
        found = self._dotted.get(id(node))
        if found is None:
            found = self._dotted[id(node)] = dotted_name(node, self.aliases) or ""
        return found

    def inner(self, nodes: tuple[ast.AST, ...]) -> Scope:
        """The scope of a function body: its single-name assignments over this scope."""
        return Scope(self.file, self.root, self.aliases, assignments(nodes), self.files, self)

    @property
    def module(self) -> Scope:
        return self if self.parent is None else self.parent.module


def assignments(nodes: Iterable[ast.AST]) -> dict[str, ast.expr]:
    """``name = value`` and ``with value as name`` bindings among these nodes (the first one of
    a name wins: a mocked value is set up before it is changed)."""
    names: dict[str, ast.expr] = {}
    for node in nodes:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                names.setdefault(target.id, node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            if node.value is not None:
                names.setdefault(node.target.id, node.value)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if isinstance(item.optional_vars, ast.Name):
                    names.setdefault(item.optional_vars.id, item.context_expr)
    return names


def resolve(expr: ast.expr, scope: Scope) -> ast.expr:
    """The expression a name stands for, followed through names; else the expression."""
    for _ in range(_MAX_DEPTH):
        if not isinstance(expr, ast.Name):
            return expr
        found = scope.lookup(expr.id)
        if found is None:
            return expr
        expr = found
    return expr


def literal(expr: ast.expr, scope: Scope, depth: int = 0) -> object:
    """The JSON value an expression stands for; non-literal parts are UNKNOWN."""
    expr = resolve(expr, scope)
    if depth > _MAX_DEPTH:
        return UNKNOWN
    if isinstance(expr, ast.Constant) and not isinstance(expr.value, (bytes, complex)):
        return expr.value if expr.value is not Ellipsis else UNKNOWN
    if isinstance(expr, ast.Dict):
        return _dict(expr, scope, depth)
    if isinstance(expr, (ast.List, ast.Tuple)):
        return [literal(item, scope, depth + 1) for item in expr.elts]
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub):
        value = literal(expr.operand, scope, depth + 1)
        return (
            -value if isinstance(value, (int, float)) and not isinstance(value, bool) else UNKNOWN
        )
    if isinstance(expr, ast.Call):
        return _call(expr, scope, depth)
    return UNKNOWN


def _dict(expr: ast.Dict, scope: Scope, depth: int) -> object:
    found: dict[str, object] = {}
    for key, value in zip(expr.keys, expr.values, strict=True):
        if key is None:  # {**other}
            spread = literal(value, scope, depth + 1)
            found.update(spread if isinstance(spread, dict) else {})
            continue
        name = literal(key, scope, depth + 1)
        if isinstance(name, (str, int, float, bool)):
            found[str(name)] = literal(value, scope, depth + 1)
    return found


def _call(expr: ast.Call, scope: Scope, depth: int) -> object:
    name = scope.dotted(expr.func)
    if name == "dict" and not expr.args:
        return {k.arg: literal(k.value, scope, depth + 1) for k in expr.keywords if k.arg}
    if name in {"list", "tuple"} and len(expr.args) == 1:
        return literal(expr.args[0], scope, depth + 1)
    text = expr.args[0] if expr.args else None
    if name == "json.loads" and isinstance(text, ast.Constant) and isinstance(text.value, str):
        try:
            return json.loads(text.value)
        except ValueError:
            return UNKNOWN
    fixture = json_fixture(expr, scope)
    return fixture.body if fixture is not None else UNKNOWN


def json_fixture(expr: ast.expr, scope: Scope, depth: int = 0) -> JsonFixture | None:
    """The JSON file this expression loads: ``json.load(open(P))``, ``json.load(f)`` with
    ``f`` from ``with open(P) as f``, ``json.loads(P.read_text())``,
    ``json.loads(open(P).read())``."""
    expr = resolve(expr, scope)
    if not isinstance(expr, ast.Call):
        return None
    if isinstance(expr.func, ast.Name) and expr.func.id in scope.helpers and depth < 3:
        return _through_helper(expr, scope.helpers[expr.func.id], scope, depth + 1)
    if not expr.args or scope.dotted(expr.func) not in _JSON_LOADERS:
        return None
    path = _opened(resolve(expr.args[0], scope), scope)
    return None if path is None else scope.files.get(path)


def _through_helper(
    call: ast.Call, helper: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope, depth: int
) -> JsonFixture | None:
    """``load("cart.json")`` where the module's ``def load(name)`` returns a JSON load of a
    path built from ``name``: the helper read with its parameters bound to the call's
    arguments."""
    params = [arg.arg for arg in helper.args.args]
    bound = {name: resolve(arg, scope) for name, arg in zip(params, call.args, strict=False)}
    bound.update({k.arg: resolve(k.value, scope) for k in call.keywords if k.arg})
    nodes = tuple(ast.walk(helper))
    module = scope.module
    names = {**assignments(nodes), **bound}
    inside = Scope(module.file, module.root, module.aliases, names, module.files, module)
    for node in nodes:
        if isinstance(node, ast.Return) and node.value is not None:
            found = json_fixture(node.value, inside, depth)
            if found is not None:
                return found
    return None


def _opened(expr: ast.expr, scope: Scope) -> Path | None:
    """The file an ``open(P)``, ``P.open()``, ``P.read_text()`` or ``open(P).read()`` reads."""
    if not isinstance(expr, ast.Call):
        return None
    func = expr.func
    if isinstance(func, ast.Attribute) and func.attr in {"read_text", "read_bytes", "open"}:
        return existing(path_of(func.value, scope), scope)
    if isinstance(func, ast.Attribute) and func.attr == "read":
        return _opened(resolve(func.value, scope), scope)
    if scope.dotted(func) in {"open", "io.open", "codecs.open"} and expr.args:
        return existing(path_of(expr.args[0], scope), scope)
    return None


def existing(path: Path | None, scope: Scope) -> Path | None:
    """A built path as an existing file: absolute, else under the project, else beside the test."""
    if path is None:
        return None
    for candidate in (path, scope.root / path, scope.file.parent / path):
        if candidate.is_absolute() and scope.files.is_file(candidate):
            return Path(os.path.normpath(candidate))
    return None


def path_of(expr: ast.expr, scope: Scope, depth: int = 0) -> Path | None:
    """The path an expression builds from literals, ``__file__``, ``Path``, ``/`` and
    ``os.path``; None where any part is not known statically."""
    expr = resolve(expr, scope)
    if depth > _MAX_DEPTH:
        return None
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return Path(expr.value)
    if isinstance(expr, ast.Name) and expr.id == "__file__":
        return scope.file
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
        return _joined([expr.left, expr.right], scope, depth)
    if isinstance(expr, ast.Attribute) and expr.attr == "parent":
        inner = path_of(expr.value, scope, depth + 1)
        return None if inner is None else inner.parent
    if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Attribute):
        return _parents(expr, scope, depth)
    if isinstance(expr, ast.Call):
        return _path_call(expr, scope, depth)
    return None


def _path_call(expr: ast.Call, scope: Scope, depth: int) -> Path | None:
    name = scope.dotted(expr.func)
    if name in _PATH_TYPES or name == "os.path.join":
        return _joined(expr.args, scope, depth) if expr.args else None
    if name in _OS_PATH and expr.args:
        return path_of(expr.args[0], scope, depth + 1)
    if name == "os.path.dirname" and expr.args:
        inner = path_of(expr.args[0], scope, depth + 1)
        return None if inner is None else inner.parent
    if isinstance(expr.func, ast.Attribute):
        if expr.func.attr in _SAME_PATH:
            return path_of(expr.func.value, scope, depth + 1)
        if expr.func.attr == "joinpath":
            return _joined([expr.func.value, *expr.args], scope, depth)
    return None


def _parents(expr: ast.Subscript, scope: Scope, depth: int) -> Path | None:
    value = expr.value
    index = expr.slice
    if not (isinstance(value, ast.Attribute) and value.attr == "parents"):
        return None
    if not (isinstance(index, ast.Constant) and isinstance(index.value, int)):
        return None
    inner = path_of(value.value, scope, depth + 1)
    if inner is None or index.value >= len(inner.parents):
        return None
    return inner.parents[index.value]


def _joined(parts: list[ast.expr], scope: Scope, depth: int) -> Path | None:
    paths = [path_of(part, scope, depth + 1) for part in parts]
    if any(p is None for p in paths):
        return None
    return Path(*[p for p in paths if p is not None])
