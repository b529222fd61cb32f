"""Every step kind in real Chromium against a real local site: one journey that passes and one
that fails, with the failure message checked."""

from __future__ import annotations

import socket
import textwrap

import pytest

from tests.support.runner import (
    JourneyRunner,
    assert_passed,
    failure_text,
)

pytestmark = pytest.mark.browser

HEAD = "name: Step under test\nstep_timeout: 1500ms\nsteps:\n"
#: Passing journeys never wait out a timeout: room for a loaded machine costs them nothing.
ROOMY = HEAD.replace("1500ms", "10s")


PASSING = {
    "goto": """
      - goto: /index.html
      - expect: {role: heading, name: Welcome}
      - goto: catalog/mug.html
      - expect_title: Blue mug | Runner shop
    """,
    "click": """
      - goto: /index.html
      - click: {role: link, name: Blue mug}
      - expect: {role: heading, name: Blue mug}
      - goto: /widgets.html
      - click: {role: button, name: Buy, within: {role: region, name: Right}}
      - expect: {css: "section[aria-label=Right] button", text: Bought}
      - expect: {css: "section[aria-label=Left] button", text: Buy}
    """,
    "dblclick": """
      - goto: /widgets.html
      - dblclick: "#double"
      - expect: {testid: double-count, text: "1"}
    """,
    "hover": """
      - goto: /widgets.html
      - expect: {role: tooltip, hidden: true}
      - hover: {role: button, name: Help}
      - expect: {role: tooltip, text: Ask us anything}
    """,
    "check": """
      - goto: /form.html
      - check: {label: Newsletter}
      - expect: {label: Newsletter, checked: true}
    """,
    "uncheck": """
      - goto: /form.html
      - uncheck: {label: Accept terms}
      - expect: {label: Accept terms, checked: false}
    """,
    "fill": """
      - goto: /form.html
      - fill: {label: Email, value: ada@example.test}
      - expect: {placeholder: you@example.test, value: ada@example.test}
    """,
    "press": """
      - goto: /form.html
      - fill: {label: Search, value: mugs}
      - press: {label: Search, key: Enter}
      - expect: {testid: searched, text: searched mugs}
      - press: {key: Tab}
    """,
    "type": """
      - goto: /editor.html
      - type: {css: ".CodeMirror textarea", text: "select * from books"}
      - expect: {testid: editor-text, text: select * from books}
      - type: {text: " where genre = 'Fantasy'", delay: 5ms}
      - click: {role: button, name: Run SQL, force: true}
      - expect: {testid: result, contains: "2 rows"}
    """,
    "evaluate": """
      - goto: /editor.html
      - evaluate: "document.querySelector('.CodeMirror').CodeMirror.setValue('select 1')"
      - expect: {testid: editor-text, text: select 1}
      - evaluate: {script: document.title, save: title, expect: SQL | Runner shop}
      - expect_title: "${title}"
      - evaluate: {script: "() => document.querySelectorAll('h1, h3').length", expect: 2}
      - evaluate: {script: "({rows: [{genre: 'Fantasy', n: 2}]})", expect: {rows: [{n: 2}]}}
      - evaluate: {script: "location.pathname", expect: {regex: "editor\\\\.html$"}}
    """,
    "select": """
      - goto: /form.html
      - select: {label: Country, option: Germany}
      - expect: {label: Country, value: de}
      - select: {label: Country, option: fr}
      - expect: {label: Country, value: fr}
    """,
    "upload": """
      - goto: /form.html
      - upload: {label: Avatar, files: [fixtures/avatar.txt]}
      - expect: {testid: files, text: "avatar.txt:6"}
    """,
    "dialog": """
      - goto: /widgets.html
      - dialog: accept
      - click: {role: button, name: Confirm}
      - expect: {testid: dialog-result, text: confirmed}
      - dialog: {accept: true, text: Ada}
      - click: {role: button, name: Prompt}
      - expect: {testid: dialog-result, text: hello Ada}
      - click: {role: button, name: Confirm}
      - expect: {testid: dialog-result, text: cancelled}
      - click: {role: button, name: Alert}
      - expect: {testid: dialog-result, text: alerted}
    """,
    "expect": """
      - goto: /form.html
      - expect: {role: heading, name: Sign up}
      - expect: {role: button, name: Later, disabled: true}
      - expect: {role: button, name: Create account, enabled: true}
      - expect: {label: Accept terms, checked: true}
      - expect: {css: "select option", count: 3}
      - expect: {testid: files, hidden: true}
      - expect: {alt: Shop logo, attribute: {width: "20"}}
      - expect: {title: The shop logo}
      - expect: {role: heading, contains: Sign}
      - expect: {role: heading, text: {regex: "^Sign"}}
      - goto: /widgets.html
      - expect: {role: listitem, nth: 1, text: Coffee}
      - expect: {role: listitem, has_text: Cocoa}
      - expect: {xpath: "//li[3]", text: Cocoa}
      - expect: {text: Ask us anything, visible: false}
      - goto: /library.html
      - expect: {role: heading, level: 2, name: Books}
      - expect: {role: heading, level: 3, count: 2}
      - expect: {css: "tbody tr", count: {min: 1}}
      - expect: {css: "tbody tr", count: {min: 2, max: 3}}
      - expect: {css: "#books", row: Dune, column: Price, text: "€9.50"}
      - expect: {role: table, row: {regex: "^The Hobbit"}, column: Genre, text: Fantasy}
      - expect: {css: "#books", column: Title, count: 3}
      - expect: {css: "#books", row: Romance, count: 1}
      - save: {price: {css: "#books", row: Emma, column: Price}}
      - expect: {css: "#books", column: Price, has_text: "${price}", text: "€7.25"}
    """,
    "expect_url": """
      - goto: /index.html
      - click: {role: link, name: Blue mug}
      - expect_url: /catalog/mug.html
      - expect_url: {regex: "/catalog/[a-z]+\\\\.html$"}
    """,
    "expect_title": """
      - goto: /catalog/mug.html
      - expect_title: Blue mug | Runner shop
      - expect_title: {regex: "^Blue"}
    """,
    "wait": """
      - goto: /late.html
      - wait: {response: /api/orders/}
      - wait: {for: {role: progressbar}, state: hidden}
      - wait: {for: {testid: order-status}}
      - goto: /index.html
      - click: {role: link, name: Sign up}
      - wait: {url: /form.html}
      - wait: {load_state: domcontentloaded}
      - wait: 50ms
    """,
    "save": """
      - goto: /late.html
      - save: {order_id: {testid: order-id, text: true}}
      - request: {url: "/api/orders/${order_id}", expect: {status: 200, json: {id: A-1042}}}
      - goto: /form.html
      - save: {logo: {alt: Shop logo, attribute: src}}
      - fill: {label: Email, value: "${logo}"}
      - save: {typed: {label: Email, value: true}}
      - expect: {label: Email, value: "${typed}"}
    """,
    "request": """
      - request: {method: POST, url: /api/login, json: {user: ada}, expect: {status: 200}}
      - goto: /catalog/mug.html
      - click: {role: button, name: Add to cart}
      - expect: {testid: cart-count, text: "1"}
      - request:
          url: /api/cart
          method: POST
          json: {sku: M2}
          expect: {status: [200, 201], json: {count: 2}, contains: cart-7}
          save: {cart_id: id}
      - request:
          url: /api/me
          expect: {json: {user: ada, cart: 2}}
      - request:
          {method: POST, url: /api/echo, data: {card: "${cart_id}"},
           expect: {contains: card=cart-7}}
      - request:
          url: /api/echo
          headers: {X-Trace: "${cart_id}", Accept: application/json}
          expect:
            headers: {CONTENT-TYPE: application/json, content-length: {regex: '^\\d+$'}}
            json: {headers: {X-Trace: cart-7}}
            at: {headers.accept: application/json, headers.#: {regex: '\\d'}}
      - request:
          url: /api/books
          expect: {at: {"#": 3, 0.title: The Hobbit, -1.price: 7.25, 1: {author: Frank Herbert}}}
          save: {books: "#", last: -1.title}
      - expect: {text: "${books}", visible: false}
    """,
    "screenshot": """
      - goto: /index.html
      - screenshot: home page
      - screenshot: {name: whole, full_page: true}
    """,
}

FAILING = {
    "goto": ("- goto: http://127.0.0.1:{closed_port}/nowhere", "ERR_CONNECTION_REFUSED"),
    "click": (
        "- goto: /index.html\n- click: {role: button, name: Pay}",
        "no element matched within 1.5s",
    ),
    "dblclick": ("- goto: /widgets.html\n- dblclick: '#triple'", "expected:   an element matching"),
    "hover": (
        "- goto: /widgets.html\n- hover: {role: button, name: Buy}",
        "the locator matched 2 elements",
    ),
    "check": (
        "- goto: /form.html\n- check: {role: button, name: Later}",
        "Not a checkbox or radio button",
    ),
    "uncheck": ("- goto: /form.html\n- uncheck: {label: Newsletters, exact: true}", "no element"),
    "fill": (
        "- goto: /form.html\n- fill: {role: button, name: Create account, value: x}",
        "not an <input>",
    ),
    "press": ("- goto: /form.html\n- press: {label: Search, key: NoSuchKey}", "Unknown key"),
    "type": (
        "- goto: /editor.html\n- type: {css: '#nothing', text: select 1}",
        "no element matched within 1.5s",
    ),
    "evaluate": (
        "- goto: /editor.html\n- evaluate: {script: document.title, expect: Books}",
        'expected:   "Books"\n  actual:     SQL | Runner shop',
    ),
    "select": (
        "- goto: /form.html\n- select: {label: Country, option: Atlantis}",
        "{label: Country}",
    ),
    "upload": (
        "- goto: /form.html\n- upload: {label: Email, files: [fixtures/avatar.txt]}",
        "found the element but could not upload it within 1.5s",
    ),
    "dialog": (
        "- goto: /widgets.html\n- dialog: accept\n- click: {role: button, name: Confirm}\n"
        "- expect: {testid: dialog-result, text: cancelled}",
        "actual:     confirmed",
    ),
    "expect": (
        "- goto: /catalog/mug.html\n- expect: {testid: cart-count, text: '1'}",
        'expected:   text "1"\n  actual:     0',
    ),
    "expect_url": ("- goto: /index.html\n- expect_url: /cart", '/cart"\n  actual:     http'),
    "expect_title": ("- goto: /index.html\n- expect_title: {regex: '^Cart'}", "title /^Cart/"),
    "wait": ("- goto: /late.html\n- wait: {for: {testid: never-there}}", "{testid: never-there}"),
    "save": (
        "- goto: /index.html\n- save: {total: {testid: total, text: true}}",
        "{testid: total}",
    ),
    "request": (
        "- request: {url: /api/me, expect: {status: 200}}",
        'expected:   status 200\n  actual:     401: {"error": "not signed in"}',
    ),
    "screenshot": (
        "- goto: /index.html\n- screenshot: {name: slow, full_page: true}\n  timeout: 1ms",
        "timed out",
    ),
}


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (just released by the kernel)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _indent(steps: str) -> str:
    return "".join(f"  {line}\n" for line in steps.strip().splitlines())


@pytest.mark.parametrize("kind", sorted(PASSING))
def test_a_journey_using_each_step_kind_passes(journeys: JourneyRunner, kind: str) -> None:
    (journeys.root / "fixtures").mkdir()
    (journeys.root / "fixtures" / "avatar.txt").write_text("avatar")
    steps = textwrap.dedent(PASSING[kind]).strip()
    result = journeys.run(ROOMY + _indent(steps))
    assert_passed(result)
    assert result.attempts[0].artifacts == () or kind == "screenshot"


@pytest.mark.parametrize("kind", sorted(FAILING))
def test_a_failing_step_of_each_kind_says_where_and_why(journeys: JourneyRunner, kind: str) -> None:
    (journeys.root / "fixtures").mkdir()
    (journeys.root / "fixtures" / "avatar.txt").write_text("avatar")
    steps, expected = FAILING[kind]
    steps = steps.replace("{closed_port}", str(closed_port()))
    result = journeys.run(HEAD + _indent(steps))
    assert result.status == "failed", failure_text(result)
    failure = result.failure
    assert failure is not None
    last_line = len(steps.strip().splitlines()) + 3
    assert failure.kind == ("expect" if kind == "dialog" else kind)
    step_line = last_line - (1 if kind == "screenshot" else 0)
    assert failure.location.endswith(f"/test.journey.yml:{step_line}")
    text = failure_text(result)
    assert f"step {failure.index} ({failure.kind}) at {failure.location}" in text
    assert expected in text


def test_the_screenshot_step_keeps_a_named_picture(journeys: JourneyRunner) -> None:
    result = journeys.run(HEAD + _indent("- goto: /index.html\n- screenshot: after login!"))
    assert_passed(result)
    [picture] = result.attempts[0].artifacts
    assert picture.path.name == "after-login.png"
    assert picture.path.read_bytes().startswith(b"\x89PNG")


def test_a_code_editor_whose_textarea_is_hidden_is_driven(journeys: JourneyRunner) -> None:
    """As met on a real SQL editor (CodeMirror): fill cannot reach its hidden textarea; typing
    key by key, force and a script can; a button that never stops moving needs force."""
    fill = journeys.run(
        HEAD + _indent("- goto: /editor.html\n- fill: {css: .CodeMirror textarea, value: select 1}")
    )
    assert "could not fill it within 1.5s (the element is not visible)" in failure_text(fill)
    moving = journeys.run(HEAD + _indent("- goto: /editor.html\n- click: {css: '#run'}"))
    assert "could not click it within 1.5s (the element is not stable)" in failure_text(moving)
    steps = """
      - goto: /editor.html
      - click: {css: .CodeMirror}
      - type: {text: "select * from books where genre = 'Drama'"}
      - click: {css: "#run", force: true}
      - expect: {testid: result, contains: genre = "Drama"}
      - fill: {css: .CodeMirror textarea, value: "select * from books where genre = 'Poetry'",
               force: true}
      - evaluate:
          script: "document.querySelector('.CodeMirror').CodeMirror.getValue()"
          expect: {regex: "'Poetry'$"}
      - click: {role: button, name: Run SQL, force: true}
      - expect: {testid: result, contains: genre = "Poetry"}
    """
    assert_passed(journeys.run(ROOMY + _indent(textwrap.dedent(steps))))


def test_a_count_range_and_a_table_cell_that_do_not_hold_say_what_there_was(
    journeys: JourneyRunner,
) -> None:
    few = journeys.run(
        HEAD + _indent("- goto: /library.html\n- expect: {css: tbody tr, count: {min: 5, max: 9}}")
    )
    text = failure_text(few)
    assert "expected:   count at least 5 and at most 9\n  actual:     3" in text
    cell = journeys.run(
        HEAD
        + _indent(
            "- goto: /library.html\n"
            "- expect: {css: '#books', row: Dune, column: Pages, text: '412'}"
        )
    )
    text = failure_text(cell)
    assert 'locator:    {css: "#books", row: Dune, column: Pages}' in text
    assert (
        'matched:    no element; the table has no column "Pages"; '
        'its columns: "Title", "Genre", "Price"'
    ) in text
    assert "actual:     no element matched" in text
    row = journeys.run(
        HEAD
        + _indent(
            "- goto: /library.html\n"
            "- expect: {role: table, row: Dnue, column: Price, text: '€9.50'}"
        )
    )
    assert 'matched:    no element; without row "Dnue": 3 rows: "The Hobbit' in failure_text(row)
