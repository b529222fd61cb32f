"""${...} references: found statically, rendered with a context, secrets masked."""

from __future__ import annotations

import pytest

from harness.core.templating import (
    ALL_NAMESPACES,
    Context,
    check_text,
    names_in,
    references,
    render,
    render_value,
)
from harness.errors import TemplateError

KNOWN = {"email", "order_id"}


def _messages(text: str, namespaces: frozenset[str] | None = None) -> list[str]:
    issues = check_text(text, KNOWN) if namespaces is None else check_text(text, KNOWN, namespaces)
    return [issue.message for issue in issues]


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "${email} and ${order_id}",
        "${env.HOME} ${secrets.TEST_CARD} ${urls.web} ${run.id} ${attempt.id}",
        "$5, a$b, $$ and $${email} are text",
        "/orders/\\d+$",
    ],
)
def test_valid_texts_have_no_issues(text: str) -> None:
    assert _messages(text) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("${emial}", "unknown variable 'emial'. Did you mean 'email'?"),
        ("${nobody}", "unknown variable 'nobody'"),
        ("${env.1X}", "'${env.1X}' is not a valid env reference"),
        ("${secrets.A.B}", "'${secrets.A.B}' is not a valid secrets reference"),
        ("${run.number}", "'${run.number}' is not a valid run reference"),
        ("${ev.HOME}", "unknown namespace 'ev' in '${ev.HOME}'. Did you mean 'env'?"),
        ("${compose.web.80}", "unknown namespace 'compose' in '${compose.web.80}'"),
        ("${email.domain}", "'email' is a variable: '${email.domain}' has no value"),
        ("${env}", "'${env}' needs a name after it"),
        ("${}", "'${}' is not a valid reference"),
        ("a ${two words}", "'${two words}' is not a valid reference"),
        ("${open", "'${open' is not a valid reference"),
    ],
)
def test_mistakes_are_named(text: str, message: str) -> None:
    assert _messages(text) == [message]


def test_every_mistake_of_a_text_is_reported_with_its_offset() -> None:
    issues = check_text("${a} and ${b}", set())
    assert [(i.offset, i.message) for i in issues] == [
        (0, "unknown variable 'a'"),
        (9, "unknown variable 'b'"),
    ]
    assert issues[0].hints[0] == "No variables are known here"


def test_environment_namespaces_are_allowed_where_asked() -> None:
    assert _messages("${compose.web.8000} ${port.web}", ALL_NAMESPACES) == []
    assert _messages("${compose.web.http}", ALL_NAMESPACES) == [
        "'${compose.web.http}' is not a valid compose reference"
    ]


def test_references_and_names_in() -> None:
    assert [r.name for r in references("${a} ${b.c} ${")] == ["a", "b.c", None]
    assert names_in("${secrets.A} ${env.B} ${secrets.C}", "secrets") == {"A", "C"}


def test_render_resolves_every_namespace() -> None:
    context = Context(
        variables={"email": "a@b.test"},
        env={"HOME": "/home/qa", "CARD": "4242"},
        urls={"web": "http://127.0.0.1:8000"},
        run_id="r1",
        attempt_id="r1-a2",
        compose={"web.8000": "49153"},
        ports={"web": "41000"},
    )
    text = "${email} ${env.HOME} ${secrets.CARD} ${urls.web} ${run.id} ${attempt.id}"
    assert render(text, context) == "a@b.test /home/qa 4242 http://127.0.0.1:8000 r1 r1-a2"
    assert (
        render("${compose.web.8000}:${port.web} $${email} $5", context) == "49153:41000 ${email} $5"
    )


def test_render_value_walks_lists_and_mappings() -> None:
    context = Context(variables={"sku": "M1"})
    value = {"items": [{"sku": "${sku}", "count": 2}], "ok": True}
    assert render_value(value, context) == {"items": [{"sku": "M1", "count": 2}], "ok": True}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("${env.NOPE}", "the environment variable NOPE is not set"),
        ("${secrets.NOPE}", "the environment variable NOPE is not set"),
        ("${urls.api}", "the environment file defines no url 'api'"),
        ("${attempt.id}", "'${attempt.id}' has no value here"),
        ("${missing}", "'${missing}' has no value here"),
    ],
)
def test_unset_names_raise_template_error(text: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message.replace("$", r"\$").replace(".", r"\.")):
        render(text, Context())


def test_secrets_come_from_their_own_table_when_given() -> None:
    context = Context(env={"CARD": "env-value"}, secrets={"CARD": "vault-value"})
    assert render("${secrets.CARD}/${env.CARD}", context) == "vault-value/env-value"
    assert context.secret_values(["CARD", "UNSET"]) == frozenset({"vault-value"})


def test_with_variables_adds_or_replaces() -> None:
    context = Context(variables={"a": "1", "b": "2"})
    assert context.with_variables({"b": "3"}).variables == {"a": "1", "b": "3"}
    assert context.with_variables({"c": "4"}, only=True).variables == {"c": "4"}


def test_mask_hides_every_secret_longest_first() -> None:
    from harness.core.masking import mask

    assert mask("pin 1234, card 12345678", {"1234", "12345678", ""}) == "pin ***, card ***"
