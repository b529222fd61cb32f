"""``${...}`` references in user files: found and checked before anything runs, rendered at run
time, and secret values masked as ``***`` wherever text leaves the harness.

Names: ``${name}`` (vars, saved values, ``with`` parameters), ``${env.NAME}``,
``${secrets.NAME}``, ``${urls.NAME}``, ``${run.id}``, ``${attempt.id}``,
``${compose.SERVICE.PORT}`` and ``${port.NAME}``. ``$${`` writes a literal ``${``; a ``$`` not
followed by ``{`` is plain text. Rendering uses the standard library's ``string.Template``.
"""

from __future__ import annotations

import re
import string
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from harness.core.suggest import did_you_mean
from harness.errors import TemplateError

_NAME = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_][A-Za-z0-9_-]*)*"
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

#: Namespaces a journey or shared-steps file may use (the rest belong to environment files).
JOURNEY_NAMESPACES = frozenset({"env", "secrets", "urls", "run", "attempt"})
#: Every namespace the harness knows.
ALL_NAMESPACES = frozenset({*JOURNEY_NAMESPACES, "compose", "port"})

_FORMS = {
    "env": "${env.NAME}",
    "secrets": "${secrets.NAME}",
    "urls": "${urls.NAME}",
    "run": "${run.id}",
    "attempt": "${attempt.id}",
    "compose": "${compose.SERVICE.PORT}",
    "port": "${port.NAME}",
}


# Only the braced form is a reference, so "$5" or "a$b" in a password stay as written.
_PATTERN = rf"""
    \$(?:
        (?P<escaped>\$)(?=\{{)
      | (?P<named>(?!))
      | \{{(?P<braced>{_NAME})\}}
      | (?P<invalid>\{{)
    )"""
_REFERENCE = re.compile(_PATTERN, re.VERBOSE)


class _Template(string.Template):
    pattern = _PATTERN  # type: ignore[assignment]  # string.Template compiles it
    flags = re.RegexFlag(0)


@dataclass(frozen=True)
class Reference:
    """One ``${...}`` in a text: its name (None when malformed) and where it starts."""

    name: str | None
    offset: int
    written: str


@dataclass(frozen=True)
class TemplateIssue:
    """A mistake in one text: its offset in the text, a message, and hints."""

    offset: int
    message: str
    hints: tuple[str, ...] = ()
    unknown: str | None = None  # the name, when the mistake is an unknown plain variable


def references(text: str) -> Iterator[Reference]:
    """Every ``${...}`` in ``text``, well-formed or not, in order."""
    for match in _REFERENCE.finditer(text):
        if match.group("braced") is not None:
            yield Reference(match.group("braced"), match.start(), match.group(0))
        elif match.group("invalid") is not None:
            end = text.find("}", match.start())
            written = text[match.start() : end + 1] if end >= 0 else text[match.start() :]
            yield Reference(None, match.start(), written)


def check_text(
    text: str, known: Collection[str], namespaces: Collection[str] = JOURNEY_NAMESPACES
) -> list[TemplateIssue]:
    """The mistakes in the references of ``text``: malformed, unknown names, bad namespaces."""
    issues = []
    for ref in references(text):
        issue = _check_reference(ref, known, namespaces)
        if issue is not None:
            issues.append(issue)
    return issues


def names_in(text: str, namespace: str) -> set[str]:
    """The NAMEs of the well-formed ``${namespace.NAME}`` references in ``text``."""
    prefix = namespace + "."
    return {
        ref.name[len(prefix) :]
        for ref in references(text)
        if ref.name and ref.name.startswith(prefix)
    }


def _check_reference(
    ref: Reference, known: Collection[str], namespaces: Collection[str]
) -> TemplateIssue | None:
    if ref.name is None:
        return TemplateIssue(
            ref.offset,
            f"'{ref.written}' is not a valid reference",
            ("Write ${name} or ${namespace.NAME} (letters, digits and _); $${ writes a plain ${",),
        )
    head, _, rest = ref.name.partition(".")
    if not rest:
        return _check_plain(ref, known)
    if head in namespaces:
        return _check_namespaced(ref, head, rest)
    if head in known:
        return TemplateIssue(ref.offset, f"'{head}' is a variable: '${{{ref.name}}}' has no value")
    return _unknown_namespace(ref, head, namespaces)


def _check_plain(ref: Reference, known: Collection[str]) -> TemplateIssue | None:
    name = ref.name or ""
    if name in known:
        return None
    if name in ALL_NAMESPACES:
        return TemplateIssue(
            ref.offset, f"'${{{name}}}' needs a name after it", (f"Write {_FORMS[name]}",)
        )
    message = f"unknown variable '{name}'" + _did_you_mean(name, known)
    hint = "Known here: " + ", ".join(sorted(known)) if known else "No variables are known here"
    return TemplateIssue(
        ref.offset,
        message,
        (hint, "Define it under vars, save it in an earlier step, or declare it in params"),
        unknown=name,
    )


def _check_namespaced(ref: Reference, head: str, rest: str) -> TemplateIssue | None:
    parts = rest.split(".")
    if head in ("env", "secrets", "urls", "port"):
        valid = len(parts) == 1 and (head in ("urls", "port") or _ENV_NAME.match(parts[0]))
    elif head in ("run", "attempt"):
        valid = parts == ["id"]
    else:
        valid = len(parts) == 2 and parts[1].isdigit()
    if valid:
        return None
    return TemplateIssue(
        ref.offset, f"'{ref.written}' is not a valid {head} reference", (f"Write {_FORMS[head]}",)
    )


def _unknown_namespace(ref: Reference, head: str, namespaces: Collection[str]) -> TemplateIssue:
    message = f"unknown namespace '{head}' in '{ref.written}'" + _did_you_mean(head, namespaces)
    hint = "Valid here: " + ", ".join(_FORMS[ns] for ns in sorted(namespaces))
    return TemplateIssue(ref.offset, message, (hint,))


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    return did_you_mean(word, sorted(choices))


@dataclass(frozen=True)
class Context:
    """The values references resolve to at run time.

    ``variables`` holds vars, saved values and ``with`` parameters; ``env`` backs ``${env.X}``
    and, unless ``secrets`` is given, ``${secrets.X}``; ``compose`` maps ``"SERVICE.PORT"`` to
    the published host port; ``ports`` maps a name to the free port chosen for it.
    """

    variables: Mapping[str, str] = field(default_factory=dict)
    env: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, str] | None = None
    urls: Mapping[str, str] = field(default_factory=dict)
    run_id: str | None = None
    attempt_id: str | None = None
    compose: Mapping[str, str] = field(default_factory=dict)
    ports: Mapping[str, str] = field(default_factory=dict)

    def with_variables(self, variables: Mapping[str, str], *, only: bool = False) -> Context:
        """A context with ``variables`` added (or, with ``only``, instead of the current ones)."""
        merged = dict(variables) if only else {**self.variables, **variables}
        return replace(self, variables=merged)

    def lookup(self, name: str) -> str:
        """The value of ``name`` (``"email"``, ``"env.HOME"``, ...); TemplateError if unset."""
        head, _, rest = name.partition(".")
        table, key = self._table(head, rest) if rest else (self.variables, name)
        if table is None or key not in table:
            raise TemplateError(_unset_message(name, head, rest))
        return str(table[key])

    def secret_values(self, names: Iterable[str]) -> frozenset[str]:
        """The values of the secrets ``names`` that are set (what ``core.masking`` masks)."""
        source = self.env if self.secrets is None else self.secrets
        return frozenset(source[name] for name in names if source.get(name))

    def _table(self, head: str, rest: str) -> tuple[Mapping[str, str] | None, str]:
        if head in ("run", "attempt") and rest == "id":
            value = self.run_id if head == "run" else self.attempt_id
            return ({rest: value} if value is not None else None), rest
        tables: dict[str, Mapping[str, str] | None] = {
            "env": self.env,
            "secrets": self.env if self.secrets is None else self.secrets,
            "urls": self.urls,
            "compose": self.compose,
            "port": self.ports,
        }
        return tables.get(head), rest


def _unset_message(name: str, head: str, rest: str) -> str:
    if head in ("env", "secrets") and rest:
        return f"'${{{name}}}' has no value: the environment variable {rest} is not set"
    if head == "urls" and rest:
        return f"'${{{name}}}' has no value: the environment file defines no url '{rest}'"
    return f"'${{{name}}}' has no value here"


class _Values(Mapping[str, str]):
    """The mapping string.Template reads from: resolves each name through the context."""

    def __init__(self, context: Context) -> None:
        self.context = context

    def __getitem__(self, name: str) -> str:
        return self.context.lookup(name)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def render(text: str, context: Context) -> str:
    """``text`` with every reference replaced; TemplateError names the first that has no value."""
    if "$" not in text:
        return text
    try:
        return _Template(text).substitute(_Values(context))
    except ValueError as exc:  # a malformed reference that validation would have reported
        raise TemplateError(f"a malformed '${{' reference in a text: {exc}") from exc


def render_value(value: Any, context: Context) -> Any:
    """Render every string inside lists and mappings (the ``json`` of a request, ``with``)."""
    if isinstance(value, str):
        return render(value, context)
    if isinstance(value, list):
        return [render_value(item, context) for item in value]
    if isinstance(value, dict):
        return {key: render_value(item, context) for key, item in value.items()}
    return value
