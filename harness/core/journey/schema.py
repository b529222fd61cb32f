"""The JSON Schema of journey and shared-steps files: the one source that both the validator and
``harness schema journey|steps`` (editor autocomplete) use.

The ``x-...`` keywords are read by :mod:`harness.core.validation` for its messages; editors
ignore them.
"""

from __future__ import annotations

from typing import Any

from harness.core.durations import DURATION_HELP, DURATION_PATTERN
from harness.core.journey.actions import IMPACTS

Schema = dict[str, Any]

#: What a locator can find an element by; exactly one per locator.
TARGET_KINDS = ("role", "text", "label", "placeholder", "alt", "title", "testid", "css", "xpath")

#: Every action key of a step, in the order of the documentation.
ACTIONS = (
    "goto",
    "click",
    "dblclick",
    "hover",
    "check",
    "uncheck",
    "fill",
    "press",
    "type",
    "select",
    "upload",
    "dialog",
    "expect",
    "expect_url",
    "expect_title",
    "wait",
    "save",
    "request",
    "evaluate",
    "screenshot",
    "expect_screenshot",
    "expect_aria",
    "expect_accessible",
    "use",
)

#: Actions whose value is a locator (with ``force``), or a selector.
POINTER_ACTIONS = ("click", "dblclick", "hover", "check", "uncheck")

#: Actions that take ``force: true`` (Playwright's ``force``: no actionability checks).
FORCE_ACTIONS = (*POINTER_ACTIONS, "fill", "select")

#: Assertions on a located element in an ``expect`` step.
ASSERTIONS = (
    "visible",
    "hidden",
    "text",
    "contains",
    "value",
    "count",
    "enabled",
    "disabled",
    "checked",
    "attribute",
)

#: The roles Playwright's get_by_role accepts (WAI-ARIA).
_ROLE_NAMES = """
    alert alertdialog application article banner blockquote button caption cell checkbox code
    columnheader combobox complementary contentinfo definition deletion dialog directory
    document emphasis feed figure form generic grid gridcell group heading img insertion link
    list listbox listitem log main marquee math meter menu menubar menuitem menuitemcheckbox
    menuitemradio navigation none note option paragraph presentation progressbar radio
    radiogroup region row rowgroup rowheader scrollbar search searchbox separator slider
    spinbutton status strong subscript superscript switch tab table tablist tabpanel term
    textbox time timer toolbar tooltip tree treegrid treeitem
"""
ARIA_ROLES = tuple(_ROLE_NAMES.split())

NAME_PATTERN = r"^(?!(env|secrets|urls|run|attempt|compose|port)$)[A-Za-z_][A-Za-z0-9_]*$"
NAME_HELP = (
    "a name of letters, digits and _ that does not start with a digit "
    "(and is not a namespace such as env)"
)
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")

_JOURNEY_ID = "urn:harness:schema:journey"
_STEPS_ID = "urn:harness:schema:steps"


def _ref(name: str) -> Schema:
    if name in ("locator", "step"):  # recursive: a locator's within, a step's list
        return {"$ref": f"#/$defs/{name}"}
    return _small_definition(name)


def _exactly_one(keys: tuple[str, ...], what: str, noun: str, hint: str = "") -> Schema:
    spec: Schema = {"what": what, "noun": noun, "keys": list(keys)}
    if hint:
        spec["hint"] = hint
    return {"oneOf": [{"required": [key]} for key in keys], "x-exactly-one": spec}


def _locator_properties() -> Schema:
    text = _ref("text")
    return {
        "role": {
            "enum": list(ARIA_ROLES),
            "description": "Find by ARIA role (button, link, heading, textbox...); with name.",
            "x-expected": "an ARIA role such as button, link, heading, textbox or checkbox",
        },
        "name": {**text, "description": "With role: the accessible name, e.g. the button's text."},
        "level": {
            "type": "integer",
            "minimum": 1,
            "maximum": 6,
            "description": "With role: heading, its level (2 for an <h2>).",
        },
        "exact": {"type": "boolean", "description": "Match name or text exactly (case too)."},
        "text": {**text, "description": "Find by the text it shows."},
        "label": {**text, "description": "Find a form field by its label."},
        "placeholder": {**text, "description": "Find a field by its placeholder."},
        "alt": {**text, "description": "Find an image by its alt text."},
        "title": {**text, "description": "Find by the title attribute."},
        "testid": {**text, "description": "Find by the data-testid attribute."},
        "css": {"type": "string", "minLength": 1, "description": "Find by a CSS selector."},
        "xpath": {"type": "string", "minLength": 1, "description": "Find by an XPath."},
        "nth": {
            "type": "integer",
            "description": "Take the n-th match (0 is the first, -1 the last).",
        },
        "has_text": {**text, "description": "Keep only matches that contain this text."},
        "row": {
            **text,
            "description": "On a table: keep its data rows that contain this text.",
        },
        "column": {
            "type": "string",
            "minLength": 1,
            "description": "On a table: the cell (of each row kept) under the header with this "
            "text, e.g. {css: table, row: Dune, column: Price}.",
        },
        "within": {**_ref("locator"), "description": "Search inside this other element."},
        "frame": {**_ref("locator"), "description": "Search inside this iframe."},
    }


def _target(extra: Schema, required: tuple[str, ...] = (), description: str = "") -> Schema:
    """A mapping of locator keys plus an action's own keys, with exactly one target kind."""
    schema: Schema = {
        "type": "object",
        "description": description,
        "properties": {**_locator_properties(), **extra},
        "additionalProperties": False,
        "x-key-noun": "key" if extra else "locator key",
        "dependentRequired": {"level": ["role"]},
        **_exactly_one(TARGET_KINDS, "a locator needs exactly one target kind", "target kind"),
    }
    if required:
        schema["required"] = list(required)
    return schema


def _force() -> Schema:
    return {
        "type": "boolean",
        "description": "true: act without waiting for the element to be visible, stable and "
        "enabled (a hidden editor's textarea, an element under an overlay).",
    }


def _pointer(action: str) -> Schema:
    return {
        "anyOf": [
            _target({"force": _force()}),
            {"type": "string", "minLength": 1, "description": "A Playwright selector."},
        ],
        "description": f"{action.capitalize()} an element.",
        "examples": [{"role": "button", "name": "Pay"}, {"css": ".CodeMirror", "force": True}],
        "x-expected": "a locator: a mapping such as {role: button, name: Pay}, or a selector",
    }


def _small_definition(name: str) -> Schema:
    """Definitions that are copied where used: jsonschema follows a $ref far slower."""
    regex: Schema = {
        "type": "object",
        "properties": {
            "regex": {
                "type": "string",
                "format": "regex",
                "description": "A regular expression.",
            },
            "ignore_case": {"type": "boolean", "description": "Ignore upper and lower case."},
        },
        "required": ["regex"],
        "additionalProperties": False,
    }
    definitions: dict[str, Schema] = {
        "regex": regex,
        "duration": {
            "type": ["string", "number"],
            "pattern": DURATION_PATTERN,
            "minimum": 0,
            "description": f"A duration: {DURATION_HELP}.",
            "examples": ["500ms", "10s", "2m", 30],
            "x-expected": DURATION_HELP,
        },
        "text": {
            "anyOf": [{"type": ["string", "number"]}, regex],
            "description": "Text to match, or {regex: ...}.",
            "examples": ["Thank you", {"regex": "^Order #\\d+$"}],
            "x-expected": "text, or {regex: ...}",
        },
        "name": {"type": "string", "pattern": NAME_PATTERN, "x-expected": NAME_HELP},
        "value": {
            "type": ["string", "number", "boolean"],
            "x-expected": "text, a number or true/false",
        },
        "steps": {"type": "array", "items": _ref("step"), "description": "Steps, run in order."},
    }
    return definitions[name]


def _definitions() -> Schema:
    return {
        "locator": {
            "anyOf": [
                {**_target({}), "x-place": "a locator"},
                {"type": "string", "minLength": 1, "description": "A Playwright selector."},
            ],
            "description": "An element: {role: button, name: Pay}, {testid: cart}, or a selector.",
            "examples": [{"role": "button", "name": "Pay"}, {"testid": "cart-count"}, "#email"],
            "x-expected": "a locator: a mapping such as {role: button, name: Pay}, or a selector",
        },
        "step": _step(),
    }


def _step() -> Schema:
    return {
        "type": "object",
        "description": "One action, e.g. goto: / or click: {role: button, name: Pay}.",
        "properties": {
            **_actions(),
            "name": {"type": "string", "description": "The step's name in reports."},
            "timeout": {**_ref("duration"), "description": "This step's timeout."},
            "with": {
                "type": "object",
                "description": "With use: the parameters of the shared steps.",
                "propertyNames": _ref("name"),
                "additionalProperties": _ref("value"),
            },
        },
        "additionalProperties": False,
        "x-place": "a step (beside its action key)",
        "dependentRequired": {"with": ["use"]},
        **_exactly_one(
            ACTIONS,
            "a step needs exactly one action key",
            "action key",
            "Put each action in its own list item ('- ')",
        ),
        "x-expected": "a mapping with one action key, such as goto: / or click: {role: button}",
    }


def _actions() -> Schema:
    return _placed(_action_schemas())


def _placed(actions: Schema) -> Schema:
    """Each action's mappings name their place (``x-place``), so that a key written in the
    wrong one can be told where it belongs ("'force' belongs in click, ... or select")."""
    for name, schema in actions.items():
        for form in (schema, *schema.get("anyOf", ())):
            if "properties" in form:
                form["x-place"] = name
    request = actions["request"]["properties"]
    request["expect"]["x-place"] = "request's expect"
    return actions


def _action_schemas() -> Schema:
    return {
        "goto": {
            "type": "string",
            "minLength": 1,
            "description": "Open a URL: a path relative to urls.web, or a full URL.",
            "examples": ["/", "/cart", "${urls.admin}/login"],
        },
        **{action: _pointer(action) for action in POINTER_ACTIONS},
        "fill": _target(
            {
                "value": {**_ref("value"), "description": "The text to type into the field."},
                "force": _force(),
            },
            ("value",),
            "Type into a field: {label: Email, value: ...}.",
        ),
        "press": _press(),
        "type": _type(),
        "select": _target(
            {
                "option": _one_or_many(_ref("value"), "The option's label or value (or several)."),
                "force": _force(),
            },
            ("option",),
            "Choose in a <select>: {label: Country, option: Germany}.",
        ),
        "upload": _target(
            {"files": _one_or_many({"type": "string", "minLength": 1}, "Files to upload.")},
            ("files",),
            "Set the files of a file input: {label: Avatar, files: [fixtures/avatar.png]}.",
        ),
        "dialog": _dialog(),
        "expect": _expect(),
        "expect_url": {
            **_ref("text"),
            "description": "The page URL: a path, a full URL or {regex}.",
        },
        "expect_title": {**_ref("text"), "description": "The page title (whole), or {regex}."},
        "wait": _wait(),
        "save": _save(),
        "request": _request(),
        "evaluate": _evaluate(),
        "screenshot": _screenshot(),
        "expect_screenshot": _expect_screenshot(),
        "expect_aria": _expect_aria(),
        "expect_accessible": _expect_accessible(),
        "use": {
            "type": "string",
            "minLength": 1,
            "pattern": r"\.steps\.ya?ml$",
            "description": "Run the steps of a shared *.steps.yml file; its params go under with.",
            "x-expected": "the path of a shared steps file (*.steps.yml)",
        },
    }


def _one_or_many(item: Schema, description: str) -> Schema:
    return {
        "anyOf": [item, {"type": "array", "items": item, "minItems": 1}],
        "description": description,
    }


def _press() -> Schema:
    schema = _target(
        {"key": {"type": "string", "minLength": 1, "description": "A key: Enter, Tab, Control+A."}},
        ("key",),
        "Press a key, in an element or (without a target) wherever the focus is.",
    )
    _optional_target(schema, "press")
    schema["x-expected"] = "a mapping: {key: Enter}, or in an element {label: Search, key: Enter}"
    return schema


def _type() -> Schema:
    kinds = tuple(kind for kind in TARGET_KINDS if kind != "text")
    properties = {k: v for k, v in _locator_properties().items() if k != "text"}
    return {
        "type": "object",
        "description": "Type text key by key, into an element or (without a target) wherever "
        "the focus is: {css: .editor textarea, text: select 1}.",
        "properties": {
            **properties,
            "text": {
                "type": ["string", "number"],
                "description": "The text to type, one key press per character.",
            },
            "delay": {**_ref("duration"), "description": "A pause between keys (default none)."},
        },
        "required": ["text"],
        "additionalProperties": False,
        "x-key-noun": "key",
        "oneOf": [
            *({"required": [kind]} for kind in kinds),
            {"not": {"anyOf": [{"required": [kind]} for kind in kinds]}},
        ],
        "x-exactly-one": {
            "what": "type takes at most one target kind",
            "noun": "target kind",
            "keys": list(kinds),
            "hint": "here text is the text to type, not a target kind",
        },
        "x-expected": "a mapping: {text: select 1}, or into an element "
        "{css: .editor textarea, text: select 1}",
    }


def _evaluate() -> Schema:
    script = {"type": "string", "minLength": 1, "description": "JavaScript run in the page."}
    return {
        "anyOf": [
            script,
            {
                "type": "object",
                "properties": {
                    "script": {
                        **script,
                        "description": "JavaScript run in the page: an expression "
                        "(document.title) or a function (() => ...); its result is the value.",
                    },
                    "save": {**_ref("name"), "description": "Save the result as ${name}."},
                    "expect": {
                        "description": "The result: a text (or {regex: ...}) to equal, or a "
                        "number, true/false, list or mapping (a subset, as in request json).",
                    },
                },
                "required": ["script"],
                "additionalProperties": False,
            },
        ],
        "description": "Run JavaScript in the page; save or check its result.",
        "examples": ["document.title", {"script": "document.title", "save": "title"}],
        "x-expected": "JavaScript, or {script: ..., save: NAME, expect: ...}",
    }


def _dialog() -> Schema:
    return {
        "anyOf": [
            {"enum": ["accept", "dismiss"]},
            {
                "type": "object",
                "properties": {
                    "accept": {"type": "boolean", "description": "true accepts, false dismisses."},
                    "text": {"type": "string", "description": "The answer to a prompt()."},
                },
                "required": ["accept"],
                "additionalProperties": False,
            },
        ],
        "description": "Answer the next dialog (alert, confirm, prompt).",
        "examples": ["accept", {"accept": True, "text": "for a prompt"}],
        "x-expected": "accept, dismiss, or {accept: true, text: ...}",
    }


def _expect() -> Schema:
    others = tuple(kind for kind in TARGET_KINDS if kind != "text")
    assertions: Schema = {
        "visible": {"type": "boolean", "description": "Visible (the default check)."},
        "hidden": {"type": "boolean", "description": "Hidden or absent."},
        "text": {**_ref("text"), "description": "Its whole text (with another target kind)."},
        "contains": {**_ref("text"), "description": "Its text contains this."},
        "value": {**_ref("text"), "description": "A field's value."},
        "count": {
            "anyOf": [
                {"type": "integer", "minimum": 0},
                {
                    "type": "object",
                    "properties": {
                        "min": {"type": "integer", "minimum": 0, "description": "At least."},
                        "max": {"type": "integer", "minimum": 0, "description": "At most."},
                    },
                    "minProperties": 1,
                    "additionalProperties": False,
                },
            ],
            "description": "How many elements match: a number, or {min: 1, max: 5} (either).",
            "x-expected": "a number of elements, or {min: N, max: N}",
        },
        "enabled": {"type": "boolean"},
        "disabled": {"type": "boolean"},
        "checked": {"type": "boolean"},
        "attribute": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": _ref("text"),
            "description": "Attributes and their values: {href: /cart}.",
        },
    }
    target = _target(assertions, (), "An element and what must hold for it (visible by default).")
    text_alone = {"required": ["text"], "not": {"anyOf": [{"required": [k]} for k in others]}}
    target["oneOf"] = [*({"required": [kind]} for kind in others), text_alone]
    target["x-exactly-one"] = {
        "what": "an expect needs exactly one target kind",
        "noun": "target kind",
        "keys": list(TARGET_KINDS),
        "hint": "text alone finds the element by its text; next to a target kind it is the "
        "element's expected whole text",
    }
    return {
        "anyOf": [target, {"type": "string", "minLength": 1}],
        "description": "Assert on an element, retrying until the step timeout.",
        "examples": [{"testid": "cart-count", "text": "1"}, {"role": "alert", "hidden": True}],
        "x-expected": "a locator with assertions, such as {testid: cart-count, text: '1'}",
    }


def _wait() -> Schema:
    kinds = ("for", "url", "response", "load_state")
    target: Schema = {
        "type": "object",
        "properties": {
            "for": {**_ref("locator"), "description": "An element to reach state."},
            "state": {
                "enum": ["visible", "hidden", "attached", "detached"],
                "description": "With for: the state to wait for (default visible).",
            },
            "url": {**_ref("text"), "description": "Wait until the page URL matches."},
            "response": {**_ref("text"), "description": "Wait for a response whose URL matches."},
            "load_state": {"enum": ["load", "domcontentloaded", "networkidle"]},
        },
        "additionalProperties": False,
        "dependentRequired": {"state": ["for"]},
        **_exactly_one(kinds, "a wait needs exactly one of for, url, response, load_state", "kind"),
    }
    return {
        "anyOf": [target, _ref("duration")],
        "description": "Wait for an element state, a URL, a response; a bare duration is a pause.",
        "examples": [{"for": {"role": "progressbar"}, "state": "hidden"}, {"url": "/done"}],
        "x-expected": "{for: LOCATOR, state: ...}, {url: ...}, {response: ...}, or a duration",
    }


def _save() -> Schema:
    others = tuple(kind for kind in TARGET_KINDS if kind != "text")
    as_target = {"required": ["text"], "properties": {"text": {"not": {"type": "boolean"}}}}
    extract_true = {"properties": {"text": {"const": True}}}
    source = _target(
        {
            "text": {
                "anyOf": [_ref("text"), {"const": True}],
                "description": "true: save the element's text (the default). Or a target kind.",
            },
            "value": {"const": True, "description": "true: save a field's value."},
            "attribute": {"type": "string", "minLength": 1, "description": "Save this attribute."},
        },
        (),
        "An element whose text (or value, or attribute) is saved.",
    )
    source["oneOf"] = [*({"required": [kind]} for kind in others), as_target]
    source["x-exactly-one"]["keys"] = list(TARGET_KINDS)
    source["not"] = {
        "anyOf": [
            {"required": ["value", "attribute"]},
            {**extract_true, "required": ["text", "value"]},
            {**extract_true, "required": ["text", "attribute"]},
        ]
    }
    source["x-message"] = "save one thing: text: true, value: true or attribute: NAME"
    return {
        "type": "object",
        "minProperties": 1,
        "propertyNames": _ref("name"),
        "additionalProperties": {"anyOf": [source, {"type": "string", "minLength": 1}]},
        "description": "Save values for later steps as ${name}: {order_id: {testid: order-id}}.",
        "examples": [{"order_id": {"testid": "order-id", "text": True}}],
    }


def _request() -> Schema:
    status = {"type": "integer", "minimum": 100, "maximum": 599}
    return {
        "type": "object",
        "description": "An HTTP request that shares the browser's cookies.",
        "properties": {
            "method": {"enum": list(HTTP_METHODS), "description": "Default GET."},
            "url": {
                "type": "string",
                "minLength": 1,
                "description": "Relative to urls.web, or full.",
            },
            "headers": {"type": "object", "additionalProperties": {"type": ["string", "number"]}},
            "json": {"description": "A JSON body."},
            "data": {
                "type": ["string", "object"],
                "description": "A form body (mapping) or raw text.",
            },
            "expect": {
                "type": "object",
                "properties": {
                    "status": {
                        "anyOf": [status, {"type": "array", "items": status, "minItems": 1}],
                        "description": "The expected status (or any of several).",
                        "x-expected": "an HTTP status (100-599) or a list of them",
                    },
                    "json": {"description": "The response JSON contains this (a subset)."},
                    "contains": {**_ref("text"), "description": "The body contains this text."},
                    "headers": {
                        "type": "object",
                        "minProperties": 1,
                        "additionalProperties": _ref("text"),
                        "description": "Response headers by name (any case): the value, its "
                        "part before ';', or {regex: ...}.",
                        "examples": [{"content-type": "application/json"}],
                    },
                    "at": {
                        "type": "object",
                        "minProperties": 1,
                        "propertyNames": {
                            "type": "string",
                            "pattern": r"^[^.\s]+(\.[^.\s]+)*$",
                            "x-expected": "a dotted path such as books.0.genre or books.#",
                        },
                        "description": "Values at dotted paths into the response JSON: "
                        "{books.#: 3, books.0.genre: Fantasy} (# is a length, -1 the last item).",
                        "examples": [{"books.#": 3, "books.0.genre": "Fantasy"}],
                    },
                },
                "additionalProperties": False,
            },
            "save": {
                "type": "object",
                "propertyNames": _ref("name"),
                "additionalProperties": {
                    "type": "string",
                    "description": "A path into the response JSON: id, items.0.sku.",
                },
                "description": "Save values of the response JSON: {cart_id: id}.",
            },
        },
        "required": ["url"],
        "additionalProperties": False,
        # "type": a request written as a plain URL is told it must be a mapping, and only that
        "not": {"type": "object", "required": ["json", "data"]},
        "x-message": "a request takes json or data, not both",
    }


def _screenshot() -> Schema:
    return {
        "anyOf": [
            {"type": "string", "minLength": 1},
            {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "full_page": {"type": "boolean"},
                },
                "required": ["name"],
                "additionalProperties": False,
            },
        ],
        "description": "Save a screenshot under this name in the attempt's artifacts.",
        "x-expected": "a name, or {name: ..., full_page: true}",
    }


#: A screenshot baseline's name: its file name, so no path and no templating.
SNAPSHOT_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


def _expect_screenshot() -> Schema:
    name: Schema = {
        "type": "string",
        "pattern": SNAPSHOT_NAME_PATTERN,
        "maxLength": 100,
        "description": "The baseline's name: journeys/__screenshots__/<journey>/<name>.png.",
        "x-expected": "a name of letters, digits, _, . and - (the baseline's file name)",
    }
    return {
        "anyOf": [
            name,
            {
                "type": "object",
                "properties": {
                    "name": name,
                    "element": {
                        **_ref("locator"),
                        "description": "Only this element (default: the page's viewport).",
                    },
                    "mask": {
                        "type": "array",
                        "items": _ref("locator"),
                        "minItems": 1,
                        "description": "Elements painted over before the shot: clocks, ads.",
                    },
                    "threshold": {
                        "type": "number",
                        "minimum": 0,
                        "maximum": 1,
                        "description": "How far a pixel's colour may move and still match "
                        "(0 exact, 1 anything; default 0.2).",
                    },
                    "max_diff_pixels": {
                        "type": "integer",
                        "minimum": 0,
                        "description": "How many pixels may differ (default 0).",
                    },
                    "full_page": {
                        "type": "boolean",
                        "description": "The whole scrollable page, not only the viewport.",
                    },
                },
                "required": ["name"],
                "additionalProperties": False,
                "not": {"required": ["element", "full_page"]},
                "x-message": "expect_screenshot takes element or full_page, not both",
            },
        ],
        "description": "The page (or one element) looks like its baseline image; "
        "harness run --update-snapshots writes the baselines.",
        "examples": ["home", {"name": "cart", "mask": [{"testid": "clock"}]}],
        "x-expected": "a baseline name, or {name: ..., element: ..., mask: [...]}",
    }


def _expect_aria() -> Schema:
    schema = _target(
        {
            "snapshot": {
                "type": "string",
                "minLength": 1,
                "description": "The ARIA snapshot (Playwright's YAML) the element must match, "
                'e.g. - link "Home"; what is not listed is not checked.',
            },
        },
        ("snapshot",),
        "The element's accessibility tree (Playwright's ARIA snapshot) matches: "
        '{role: navigation, snapshot: "- link "Home""}; without a target, the page.',
    )
    _optional_target(schema, "expect_aria")
    return schema


def _expect_accessible() -> Schema:
    rule = {"type": "string", "pattern": r"^[a-z0-9-]+$", "x-expected": "an axe rule id"}
    tag = {"type": "string", "pattern": r"^[a-z0-9.-]+$", "x-expected": "an axe tag"}
    schema = _target(
        {
            "rules": _one_or_many(rule, "Only these axe rule ids (image-alt, color-contrast)."),
            "tags": _one_or_many(tag, "Only the rules of these axe tags (wcag2a, wcag2aa)."),
            "ignore": _one_or_many(rule, "Rule ids not checked."),
            "impact": {
                "enum": list(IMPACTS),
                "description": "The least impact that fails the step (default minor: any).",
            },
        },
        (),
        "axe-core finds no accessibility violation in the page (or this element): "
        "{impact: serious, ignore: [region]}.",
    )
    _optional_target(schema, "expect_accessible")
    schema["not"] = {"required": ["rules", "tags"]}
    schema["x-message"] = "expect_accessible takes rules or tags, not both"
    return {
        "anyOf": [{"type": "null"}, schema],
        "description": schema["description"],
        "x-expected": "{} or a mapping: an optional locator, rules or tags, ignore, impact",
    }


def _optional_target(schema: Schema, action: str) -> None:
    """A target kind becomes optional: at most one (none means the whole page)."""
    schema["oneOf"] = [
        *schema["oneOf"],
        {"not": {"anyOf": [{"required": [kind]} for kind in TARGET_KINDS]}},
    ]
    schema["x-exactly-one"] = {
        "what": f"{action} takes at most one target kind",
        "noun": "target kind",
        "keys": list(TARGET_KINDS),
    }


def _browser() -> Schema:
    return {
        "type": "object",
        "description": "Browser context options for this journey.",
        "properties": {
            "viewport": {
                "type": "object",
                "properties": {
                    "width": {"type": "integer", "minimum": 1},
                    "height": {"type": "integer", "minimum": 1},
                },
                "required": ["width", "height"],
                "additionalProperties": False,
            },
            "device": {"type": "string", "description": "A Playwright device, e.g. 'iPhone 13'."},
            "locale": {"type": "string", "examples": ["en-GB", "de-DE"]},
            "timezone": {"type": "string", "examples": ["Europe/Berlin"]},
            "color_scheme": {"enum": ["light", "dark", "no-preference"]},
            "storage_state": {"type": "string", "description": "A saved storage state file."},
        },
        "additionalProperties": False,
    }


def _names(description: str) -> Schema:
    return {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "uniqueItems": True,
        "description": description,
    }


def _journey_properties() -> Schema:
    steps = _ref("steps")
    return {
        "name": {"type": "string", "minLength": 1, "description": "What the user does."},
        "description": {"type": "string"},
        "tags": _names("Tags to select journeys by: harness run --tag smoke."),
        "covers": _names("Feature ids this journey proves work (linked to unit tests)."),
        "timeout": {**_ref("duration"), "description": "The whole journey's timeout."},
        "step_timeout": {**_ref("duration"), "description": "Each step's timeout (default 10s)."},
        "retries": {"type": "integer", "minimum": 0, "maximum": 10, "description": "Retries."},
        "vars": {
            "type": "object",
            "propertyNames": _ref("name"),
            "additionalProperties": _ref("value"),
            "description": "Values for ${name}, evaluated once per attempt, in order.",
        },
        "browser": _browser(),
        "environments": {**_names("Run only in these environments."), "minItems": 1},
        "serial": {
            "type": "string",
            "minLength": 1,
            "description": "A group name: journeys of one group never run at the same time "
            "(they share data).",
        },
        "quarantine": {
            "type": "object",
            "properties": {
                "reason": {"type": "string", "minLength": 1, "description": "Why."},
                "until": {
                    "type": "string",
                    "format": "date",
                    "description": "Until this day (YYYY-MM-DD).",
                    "x-expected": "a date such as 2026-12-31",
                },
            },
            "required": ["reason"],
            "additionalProperties": False,
            "description": "Runs and is reported, but does not fail the gate.",
        },
        "setup": {**steps, "description": "Steps run before steps."},
        "steps": {**steps, "minItems": 1, "description": "The journey's steps."},
        "teardown": {**steps, "description": "Steps that always run at the end."},
    }


def _document(
    kind: str, identifier: str, title: str, properties: Schema, required: list[str]
) -> Schema:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": identifier,
        "title": title,
        "description": f"A harness {kind} file.",
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
        "x-expected": f"a mapping of keys ({', '.join(required)}, ...)",
        "$defs": _definitions(),
    }


def _steps_properties() -> Schema:
    param = {
        "anyOf": [
            _ref("name"),
            {
                "type": "object",
                "properties": {
                    "name": _ref("name"),
                    "default": _ref("value"),
                    "description": {"type": "string"},
                },
                "required": ["name"],
                "additionalProperties": False,
            },
        ],
        "x-expected": "a parameter name, or {name: ..., default: ...}",
    }
    return {
        "description": {"type": "string"},
        "params": {
            "type": "array",
            "items": param,
            "description": "Parameters given by with: a name (required) or {name, default}.",
        },
        "steps": {**_ref("steps"), "minItems": 1},
    }


JOURNEY_SCHEMA: Schema = _document(
    "journey", _JOURNEY_ID, "Harness journey", _journey_properties(), ["name", "steps"]
)
JOURNEY_SCHEMA["x-place"] = "the journey's top level"
STEPS_SCHEMA: Schema = _document(
    "shared steps", _STEPS_ID, "Harness shared steps", _steps_properties(), ["steps"]
)
JOURNEY_SCHEMA["examples"] = [
    {"name": "Guest buys a mug", "tags": ["smoke"], "steps": [{"goto": "/"}]},
]


def journey_schema() -> Schema:
    """The schema of ``*.journey.yml`` files (what ``harness schema journey`` prints)."""
    return JOURNEY_SCHEMA


def steps_schema() -> Schema:
    """The schema of ``*.steps.yml`` files (what ``harness schema steps`` prints)."""
    return STEPS_SCHEMA
