"""Turn every jsonschema error of a document into a :class:`~harness.errors.Problem` a person
can act on: where, what, what is valid, and what was probably meant. Only a document that
:mod:`harness.core.validation` found invalid comes here (importing jsonschema is most of a small
``harness validate``).

Schemas may carry these annotations, read from the subschema that failed (``harness schema``
publishes a copy without them, see :mod:`harness.core.published_schema`):

- ``x-expected``: what a value should look like, e.g. ``"a duration such as 10s"``;
- ``x-key-noun``: the word for this mapping's keys in "unknown ... 'x'" (default ``"key"``);
- ``x-message``: the whole message for a failed ``not`` (e.g. "give json or data, not both");
- ``x-place``: on a mapping, where it is in the user's words ("click", "a locator"): an unknown
  key that is valid in another place is told where it belongs;
- ``x-exactly-one``: on a ``oneOf`` of ``{"required": [key]}`` branches, names the choice::

      {"what": "a step needs exactly one action key", "noun": "action key",
       "keys": [...], "hint": "..."}   # keys default to the branches' required keys
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import jsonschema

from harness.core.source import DocPath, Document, value_at
from harness.core.suggest import closest_name
from harness.errors import Problem

#: Names a place for a message, e.g. ``("steps", 3, "click") -> "step 4 (click)"``; "" for none.
Describe = Callable[[DocPath, Any], str]

#: A jsonschema ValidationError: its type stubs mark every attribute as possibly unset, which
#: it never is on errors that ``iter_errors`` yields.
_Error = Any

_TYPE_WORDS = {
    "string": "text",
    "object": "a mapping",
    "array": "a list",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}


@dataclass(frozen=True)
class _Issue:
    path: DocPath
    message: str
    hints: tuple[str, ...] = ()
    at_key: bool = False
    tag: str = ""
    key: str = ""  # the missing key, or the key an unknown one probably meant


def problems(
    document: Document, schema: dict[str, Any], describe: Describe | None = None
) -> list[Problem]:
    """Every problem of ``document``: those found while reading it, then those against
    ``schema``, sorted by position, each once."""
    translator = _Translator(document, describe, _places(schema))
    issues: list[_Issue] = []
    for error in _validator(schema).iter_errors(document.data):
        issues.extend(translator.translate(error))
    problems = [*document.problems, *(translator.locate(i) for i in _without_noise(issues))]
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.column, p.message))


_FORMATS = jsonschema.FormatChecker(formats=("regex", "date"))
_STANDARD_ONE_OF = jsonschema.Draft202012Validator.VALIDATORS["oneOf"]


def _one_of(validator: Any, branches: list[Any], instance: Any, schema: Any) -> Any:
    """Draft 2020-12 ``oneOf``, quicker on the schema's common case: on a mapping, a branch
    that is only ``{"required": [key]}`` holds exactly when the key is there. Any failure is
    re-checked by the standard keyword, so errors are the standard ones."""
    if validator.is_type(instance, "object"):
        matched = 0
        for branch in branches:
            if (
                isinstance(branch, dict)
                and branch.keys() == {"required"}
                and len(branch["required"]) == 1
            ):
                matched += branch["required"][0] in instance
            else:
                matched += validator.evolve(schema=branch).is_valid(instance)
        if matched == 1:
            return
    yield from _STANDARD_ONE_OF(validator, branches, instance, schema)


#: Draft 2020-12 with the quicker oneOf: 1,000 journeys must validate in well under 2 s.
_Validator = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
    jsonschema.Draft202012Validator, {"oneOf": _one_of}
)
_VALIDATORS: dict[int, tuple[dict[str, Any], Any]] = {}


def _validator(schema: dict[str, Any]) -> Any:
    cached = _VALIDATORS.get(id(schema))
    if cached is None or cached[0] is not schema:
        cached = (schema, _Validator(schema, format_checker=_FORMATS))
        _VALIDATORS[id(schema)] = cached
    return cached[1]


def _without_noise(issues: list[_Issue]) -> list[_Issue]:
    # "no action key" or "missing key 'name'" say nothing new next to "unknown key 'nme'. Did
    # you mean 'name'?"
    dedented = {issue.path for issue in issues if issue.tag == "dedented-key"}
    issues = [
        issue
        for issue in issues
        if issue.tag != "dedented-key"
        and not (issue.tag == "unknown-key" and issue.path in dedented)
    ]
    nested = {issue.path for issue in issues if issue.tag == "nested"}
    issues = [
        i for i in issues if i.tag == "nested" or not any(i.path[: len(n)] == n for n in nested)
    ]
    empty_actions = {issue.path[:-1] for issue in issues if issue.tag == "dedented"}
    issues = [
        i for i in issues if not (i.tag in ("many-of", "none-of") and i.path in empty_actions)
    ]
    unknown = [issue for issue in issues if issue.tag == "unknown-key"]
    unknown_at = {issue.path[:-1] for issue in unknown}
    meant = {(issue.path[:-1], issue.key) for issue in unknown}
    return [
        issue
        for issue in issues
        if not (issue.tag == "none-of" and issue.path in unknown_at)
        and not (issue.tag == "missing" and (issue.path, issue.key) in meant)
    ]


class _Translator:
    def __init__(
        self, document: Document, describe: Describe | None, places: dict[str, list[str]]
    ) -> None:
        self.document = document
        self.describe = describe
        self.places = places

    def locate(self, issue: _Issue) -> Problem:
        return self.document.problem(issue.path, issue.message, issue.hints, at_key=issue.at_key)

    def prefix(self, path: DocPath) -> str:
        said = self.describe(path, self.document.data) if self.describe else ""
        return f"{said}: " if said else ""

    def translate(self, error: _Error) -> list[_Issue]:
        if "propertyNames" in error.relative_schema_path:
            return [self._property_name(error)]
        dedented = self._dedented_keys(error)
        if dedented:
            return dedented
        name = re.sub(r"(?<!^)(?=[A-Z])", "_", str(error.validator)).lower()
        handler = getattr(self, f"_{name}", None)
        if handler is None:
            return [self._fallback(error)]
        result: list[_Issue] = handler(error)
        return result

    def _fallback(self, error: _Error) -> _Issue:
        path = _path(error)
        return _Issue(
            path, f"{self.prefix(path)}{_subject(path, self.prefix(path))}: {error.message}"
        )

    def _additional_properties(self, error: _Error) -> list[_Issue]:
        path, schema = _path(error), error.schema
        valid = [k for k in schema.get("properties", {}) if not k.startswith("$")]
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        noun = schema.get("x-key-noun", "key")
        issues = []
        for key in error.instance:
            if key in valid or any(p.search(key) for p in patterns):
                continue
            meant = _closest(key, valid)
            elsewhere = "" if meant else self._belongs(key, schema.get("x-place"))
            message = f"{self.prefix(path)}unknown {noun} '{key}'{_suggest(meant)}{elsewhere}"
            hints = (f"Valid keys: {', '.join(valid)}",) if valid else ()
            issues.append(_Issue((*path, key), message, hints, True, "unknown-key", meant))
        return issues

    def _belongs(self, key: str, here: str | None) -> str:
        """``: it belongs in click, fill or select``, when ``key`` is valid elsewhere."""
        places = [p for p in self.places.get(key, ()) if p != here]
        if not places:
            return ""
        if "a locator" in places:
            return ": it is a locator key, written inside the action's mapping (click: {role: ...})"
        return f": it belongs in {_either(places)}"

    def _dedented_keys(self, error: _Error) -> list[_Issue]:
        """An action left empty because the keys meant for it are written beside it, one
        indent short (``- click:`` then ``role: button`` under the dash): a ``name:`` among
        them would pass silently as the step's name."""
        path = _path(error)
        if error.instance is not None or not path or not isinstance(path[-1], str):
            return []
        parent = value_at(self.document.data, path[:-1])
        inner = _inner_keys(error.schema)
        if not isinstance(parent, dict) or not inner:
            return []
        beside = [k for k in parent if k != path[-1] and k in inner]
        if not beside:
            return []
        action, keys = path[-1], ", ".join(beside)
        message = (
            f"{self.prefix(path)}'{action}' is empty and {keys} "
            f"{'is' if len(beside) == 1 else 'are'} written beside it: "
            f"indent {'it' if len(beside) == 1 else 'them'} under '{action}'"
        )
        hint = f"- {action}:\n        {beside[0]}: ...   (two more spaces than '{action}')"
        issue = _Issue(path, message, (hint,), at_key=True, tag="dedented", key=action)
        return [issue, *(_Issue((*path[:-1], k), "", tag="dedented-key") for k in beside)]

    def _required(self, error: _Error) -> list[_Issue]:
        path = _path(error)
        properties = error.schema.get("properties", {})
        issues = []
        for key in error.validator_value:
            if isinstance(error.instance, dict) and key not in error.instance:
                about = properties.get(key, {}).get("description", "")
                hints = (f"{key}: {about}",) if about else ()
                message = f"{self.prefix(path)}missing key '{key}'"
                issues.append(_Issue(path, message, hints, tag="missing", key=key))
        return issues

    def _type(self, error: _Error) -> list[_Issue]:
        types = error.validator_value
        expected = error.schema.get("x-expected") or _type_words(
            [types] if isinstance(types, str) else types
        )
        return [self._expected(error, expected)]

    def _expected(self, error: _Error, expected: str) -> _Issue:
        path = _path(error)
        prefix = self.prefix(path)
        subject = _subject(path, prefix)
        shown = _shown(error.instance)
        if subject:
            return _Issue(path, f"{prefix}{subject} must be {expected}, not {shown}")
        return _Issue(path, f"{prefix}expected {expected}, not {shown}")

    def _enum(self, error: _Error) -> list[_Issue]:
        choices = [str(c) for c in error.validator_value]
        expected = error.schema.get("x-expected") or "one of: " + ", ".join(choices)
        issue = self._expected(error, expected)
        if isinstance(error.instance, str):
            issue = _Issue(issue.path, issue.message + _did_you_mean(error.instance, choices))
        return [issue]

    def _const(self, error: _Error) -> list[_Issue]:
        return [
            self._expected(error, error.schema.get("x-expected") or _shown(error.validator_value))
        ]

    def _pattern(self, error: _Error) -> list[_Issue]:
        expected = error.schema.get("x-expected") or f"text matching {error.validator_value}"
        return [self._expected(error, expected)]

    def _format(self, error: _Error) -> list[_Issue]:
        if error.validator_value == "regex":
            return [
                self._expected(
                    error, f"a valid regular expression ({_regex_error(error.instance)})"
                )
            ]
        expected = error.schema.get("x-expected") or f"a valid {error.validator_value}"
        return [self._expected(error, expected)]

    def _minimum(self, error: _Error) -> list[_Issue]:
        return [
            self._expected(
                error, error.schema.get("x-expected") or f"at least {error.validator_value}"
            )
        ]

    def _maximum(self, error: _Error) -> list[_Issue]:
        return [
            self._expected(
                error, error.schema.get("x-expected") or f"at most {error.validator_value}"
            )
        ]

    def _exclusive_minimum(self, error: _Error) -> list[_Issue]:
        expected = error.schema.get("x-expected") or f"more than {error.validator_value}"
        return [self._expected(error, expected)]

    def _min_items(self, error: _Error) -> list[_Issue]:
        count = error.validator_value
        return [self._sized(error, f"needs at least {count} item{'s' if count != 1 else ''}")]

    def _max_items(self, error: _Error) -> list[_Issue]:
        count = error.validator_value
        return [self._sized(error, f"takes at most {count} item{'s' if count != 1 else ''}")]

    def _min_length(self, error: _Error) -> list[_Issue]:
        return [self._sized(error, "must not be empty")]

    def _min_properties(self, error: _Error) -> list[_Issue]:
        return [self._sized(error, "must not be empty")]

    def _sized(self, error: _Error, what: str) -> _Issue:
        path = _path(error)
        prefix = self.prefix(path)
        return _Issue(path, f"{prefix}{_subject(path, prefix) or 'it'} {what}")

    def _unique_items(self, error: _Error) -> list[_Issue]:
        path = _path(error)
        seen: list[Any] = []
        for index, item in enumerate(error.instance):
            if item in seen:
                message = f"{self.prefix(path)}{_shown(item)} is listed twice"
                return [_Issue((*path, index), message)]
            seen.append(item)
        return [self._fallback(error)]

    def _not(self, error: _Error) -> list[_Issue]:
        path = _path(error)
        message = (
            error.schema.get("x-message") or f"{_subject(path, '') or 'this'} is not allowed here"
        )
        return [_Issue(path, f"{self.prefix(path)}{message}")]

    def _dependent_required(self, error: _Error) -> list[_Issue]:
        path, issues = _path(error), []
        for key, needed in error.validator_value.items():
            missing = [n for n in needed if key in error.instance and n not in error.instance]
            for other in missing:
                message = f"{self.prefix(path)}'{key}' is only allowed together with '{other}'"
                issues.append(_Issue((*path, key), message, at_key=True))
        return issues

    def _property_name(self, error: _Error) -> _Issue:
        path = _path(error)
        key = error.instance
        expected = error.schema.get("x-expected") or "a valid name"
        message = f"{self.prefix(path)}'{key}' is not {expected}"
        return _Issue((*path, key), message, at_key=True)

    def _one_of(self, error: _Error) -> list[_Issue]:
        if "x-exactly-one" in error.schema:
            return self._exactly_one(error)
        if not error.context:
            path = _path(error)
            return [
                _Issue(path, f"{self.prefix(path)}this matches more than one form: {error.message}")
            ]
        return self._any_of(error)

    def _any_of(self, error: _Error) -> list[_Issue]:
        branches: dict[int, list[_Error]] = {}
        for sub in error.context or ():
            branches.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
        fitting = [errs for errs in branches.values() if not _wrong_shape(errs, error)]
        if not fitting:
            expected = error.schema.get("x-expected") or _branch_expectations(branches, error)
            return [self._expected(error, expected)]
        best = min(fitting, key=len)
        return [issue for sub in best for issue in self.translate(sub)]

    def _exactly_one(self, error: _Error) -> list[_Issue]:
        path, spec = _path(error), error.schema["x-exactly-one"]
        if not isinstance(error.instance, dict):
            return []  # the type check says what is wrong
        keys = spec.get("keys") or [b["required"][0] for b in error.validator_value]
        found = _chosen(error.validator_value, error.instance)
        noun = spec.get("noun", "key")
        what = spec.get("what", f"exactly one {noun} is needed")
        hints: tuple[str, ...] = (f"Valid {noun}s: {', '.join(keys)}",)
        if not found:
            return [_Issue(path, f"{self.prefix(path)}{what}; found none", hints, tag="none-of")]
        nested = _nested_key(error.schema, found)
        if nested:
            outer, inner = nested
            message = (
                f"{self.prefix(path)}'{inner}' belongs inside '{outer}', not beside it: "
                f"indent it under '{outer}'"
            )
            hint = f"{outer} takes {inner}: two more spaces than '{outer}' put it there"
            return [_Issue((*path, inner), message, (hint,), at_key=True, tag="nested")]
        if spec.get("hint"):
            hints = (*hints, spec["hint"])
        message = f"{self.prefix(path)}{what}; found {len(found)}: {', '.join(found)}"
        return [_Issue(path, message, hints, tag="many-of")]


def _places(schema: Any) -> dict[str, list[str]]:
    """Every key of a mapping that names its place (``x-place``), with those places."""
    cached = _PLACES.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    found: dict[str, list[str]] = {}
    _collect_places(schema, found)
    _PLACES[id(schema)] = (schema, found)
    return found


_PLACES: dict[int, tuple[Any, dict[str, list[str]]]] = {}


def _collect_places(schema: Any, found: dict[str, list[str]]) -> None:
    if isinstance(schema, dict):
        place = schema.get("x-place")
        if isinstance(place, str):
            for key in schema.get("properties", {}):
                if place not in found.setdefault(key, []):
                    found[key].append(place)
        for value in schema.values():
            _collect_places(value, found)
    elif isinstance(schema, list):
        for value in schema:
            _collect_places(value, found)


def _either(places: list[str]) -> str:
    return places[0] if len(places) == 1 else f"{', '.join(places[:-1])} or {places[-1]}"


def _inner_keys(schema: Any) -> set[str]:
    """The keys a mapping in ``schema`` (or in one of its ``anyOf`` forms) takes."""
    if not isinstance(schema, dict):
        return set()
    keys = set(schema.get("properties", {}))
    for form in schema.get("anyOf", ()):
        keys |= _inner_keys(form)
    return keys


def _nested_key(schema: dict[str, Any], found: list[str]) -> tuple[str, str] | None:
    """Of two action keys found in one mapping, (outer, inner) when the second is a key that
    the first one's mapping takes: ``expect`` dedented out of ``request``."""
    if len(found) != 2:
        return None
    properties = schema.get("properties", {})
    for outer, inner in (found, found[::-1]):
        if inner in _inner_keys(properties.get(outer)):
            return outer, inner
    return None


def _chosen(branches: list[dict[str, Any]], instance: dict[str, Any]) -> list[str]:
    """The keys whose ``{"required": [key], ...}`` branch the instance satisfies."""
    return [
        branch["required"][0]
        for branch in branches
        if "required" in branch and jsonschema.Draft202012Validator(branch).is_valid(instance)
    ]


def _path(error: _Error) -> DocPath:
    return tuple(error.absolute_path)


def _wrong_shape(errors: list[_Error], parent: _Error) -> bool:
    """A branch written for another kind of value: it fails on the value's type itself."""
    return any(_shape_expectation(e, parent) for e in errors)


def _shape_expectation(error: _Error, parent: _Error) -> str:
    """What a branch wanted when ``error`` says the value is of the wrong kind, else ""."""
    if error.absolute_path != parent.absolute_path:
        return ""
    value = error.validator_value
    if error.validator == "type":
        return str(
            error.schema.get("x-expected")
            or _type_words([value] if isinstance(value, str) else value)
        )
    if error.validator in ("enum", "const"):
        choices = value if error.validator == "enum" else [value]
        if not any(type(c) is type(error.instance) for c in choices):
            return str(error.schema.get("x-expected") or ", ".join(str(c) for c in choices))
    return ""


def _branch_expectations(branches: dict[int, list[_Error]], parent: _Error) -> str:
    wanted: list[str] = []
    for errors in branches.values():
        for e in errors:
            said = _shape_expectation(e, parent)
            if said and said not in wanted:
                wanted.append(said)
    return " or ".join(wanted) or "something else"


def _type_words(types: Iterable[str]) -> str:
    words = [_TYPE_WORDS.get(t, t) for t in types if not (t == "integer" and "number" in types)]
    return " or ".join(words) or "something else"


def _subject(path: DocPath, prefix: str) -> str:
    if not path:
        return "" if prefix else "the file"
    last = path[-1]
    if isinstance(last, str):
        return f"'{last}'"
    if prefix:
        return ""
    return f"item {last + 1} of '{path[-2]}'" if len(path) > 1 else f"item {last + 1}"


def _shown(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return f"'{short}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__} value"


_closest = closest_name


def _suggest(meant: str) -> str:
    return f". Did you mean '{meant}'?" if meant else ""


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    return _suggest(_closest(word, choices))


def _regex_error(pattern: Any) -> str:
    try:
        re.compile(str(pattern))
    except re.error as exc:
        return str(exc)
    return "not accepted"
