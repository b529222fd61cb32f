"""A Python module's syntax tree walked once: every node in source order, so that each reader
pass over a function or statement is a slice, not a new walk (``ast.walk`` is most of the cost
of reading many test files)."""

from __future__ import annotations

import ast
from collections.abc import Iterable


class FlatTree:
    """Every node of a tree, walked once in source order; a node's subtree is a slice of it, so
    the readers' many passes over a function cost no new walk."""

    def __init__(self, tree: ast.AST) -> None:
        self.nodes: list[ast.AST] = []
        self.spans: dict[int, tuple[int, int]] = {}
        pending: list[tuple[ast.AST, int]] = [(tree, -1)]
        while pending:
            node, start = pending.pop()
            if start >= 0:  # its subtree is done
                self.spans[id(node)] = (start, len(self.nodes))
                continue
            here = len(self.nodes)
            self.nodes.append(node)
            children = _children(node)
            if children:
                pending.append((node, here))
                pending.extend((child, -1) for child in reversed(children))
            else:
                self.spans[id(node)] = (here, here + 1)

    def nodes_of(self, tops: Iterable[ast.AST]) -> tuple[ast.AST, ...]:
        found: list[ast.AST] = []
        for top in tops:
            start, end = self.spans[id(top)]
            found.extend(self.nodes[start:end])
        return tuple(found)


def _children(node: ast.AST) -> list[ast.AST]:
    """The node's children, without the shared ``Load``/``Add``-like singletons."""
    found: list[ast.AST] = []
    for field in node._fields:
        value = getattr(node, field, None)
        if type(value) is list:
            found.extend(item for item in value if isinstance(item, ast.AST))
        elif isinstance(value, ast.AST) and not isinstance(value, _SINGLETONS):
            found.append(value)
    return found


_SINGLETONS = (ast.expr_context, ast.operator, ast.boolop, ast.cmpop, ast.unaryop)
