"""The typed model a runner executes: what each construct of the language becomes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from harness.core.journey import model as m
from harness.core.journey.loader import load_journey

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "tests" / "data" / "journeys" / "good"


@pytest.fixture(scope="module")
def every() -> m.Journey:
    return load_journey(GOOD / "every_step.journey.yml")


@pytest.fixture(scope="module")
def mug() -> m.Journey:
    return load_journey(GOOD / "guest_buys_a_mug.journey.yml")


def _step(journey: m.Journey, line: int) -> m.Step:
    return next(
        s for s in (*journey.setup, *journey.steps, *journey.teardown) if s.location.line == line
    )


def test_journey_keys(every: m.Journey) -> None:
    assert every.name == "Every step, locator and assertion"
    assert every.tags == ("catalogue",)
    assert every.covers == ("profile",)
    assert (every.timeout, every.step_timeout, every.retries) == (120.0, 5.0, 2)
    assert every.environments == ("local", "staging")
    assert every.runs_in("local")
    assert not every.runs_in("prod")
    assert every.quarantine == m.Quarantine("flaky payment sandbox", date(2030, 12, 31))
    assert every.quarantine.active(date(2030, 12, 31))
    assert not every.quarantine.active(date(2031, 1, 1))
    assert every.browser == m.BrowserOptions(
        viewport=m.Viewport(1280, 720),
        locale="en-GB",
        timezone="Europe/Berlin",
        color_scheme="dark",
    )
    assert every.vars == {
        "user": "qa",
        "greeting": "Hello ${user}",
        "count": "3",
        "enabled": "true",
    }
    assert every.secret_names == frozenset({"QA_PASSWORD"})
    assert Path(every.path).is_absolute()
    assert every.file.endswith("every_step.journey.yml")


def test_defaults(mug: m.Journey) -> None:
    assert (mug.step_timeout, mug.environments, mug.quarantine, mug.setup) == (10.0, (), None, ())
    assert mug.runs_in("anything")


def test_steps_know_their_file_and_line(mug: m.Journey) -> None:
    assert [s.location.line for s in mug.steps] == [9, 10, 11, 12, 13, 15, 16, 17, 18]
    assert str(
        mug.steps[0].location
    ) == "tests/data/journeys/good/guest_buys_a_mug.journey.yml:9" or str(
        mug.steps[0].location
    ).endswith("guest_buys_a_mug.journey.yml:9")
    used = mug.steps[4].action
    assert isinstance(used, m.Use)
    assert [s.location.line for s in used.steps.steps] == [8, 9, 10, 11, 12, 15]
    assert used.steps.file.endswith("shared/checkout.steps.yml")


def test_use_params_are_the_with_values_and_the_defaults(mug: m.Journey) -> None:
    used = mug.steps[4].action
    assert isinstance(used, m.Use)
    assert used.params == {
        "email": "${email}",
        "card": "${secrets.TEST_CARD}",
        "country": "Germany",
    }
    assert [p.name for p in used.steps.params if p.required] == ["email", "card"]
    assert used.steps.saves == frozenset({"receipt"})
    assert mug.secret_names == frozenset({"TEST_CARD"})


def test_pointer_actions_and_locators(every: m.Journey) -> None:
    assert _step(every, 26).action == m.Click(m.Locator("selector", "text=Profile"))
    assert _step(every, 27).action == m.DblClick(m.Locator("css", ".avatar"))
    assert _step(every, 28).action == m.Hover(m.Locator("xpath", "//nav"))
    assert _step(every, 29).action == m.Check(m.Locator("label", "Newsletter"))
    assert _step(every, 30).action == m.Uncheck(m.Locator("label", "Offers", exact=True))


def test_input_actions(every: m.Journey) -> None:
    assert _step(every, 31).action == m.Fill(m.Locator("placeholder", "Nickname"), "42")
    assert _step(every, 32).action == m.Press("Enter", m.Locator("label", "Search"))
    assert _step(every, 33).action == m.Select(
        m.Locator("label", "Languages"), ("English", "German")
    )
    upload = _step(every, 34).action
    assert isinstance(upload, m.Upload)
    assert Path(upload.files[0]).is_file()
    assert Path(upload.files[0]).is_absolute()
    assert [_step(every, n).action for n in (35, 36, 37)] == [
        m.Dialog(True),
        m.Dialog(True, "for a prompt"),
        m.Dialog(False),
    ]


def test_press_without_a_target_presses_on_the_page() -> None:
    shared = load_journey(GOOD / "every_step.journey.yml").steps[1].action
    assert isinstance(shared, m.Use)
    assert shared.steps.steps[-1].action == m.Press("Enter", None)


def test_expect_assertions(every: m.Journey) -> None:
    visible = (m.Assertion("visible", True),)
    cases = {
        38: m.Expect(m.Locator("selector", "#profile"), visible),
        39: m.Expect(m.Locator("text", "${greeting}"), visible),
        40: m.Expect(m.Locator("testid", "name"), (m.Assertion("text", m.Regex("^qa", True)),)),
        41: m.Expect(m.Locator("role", "alert"), (m.Assertion("hidden", True),)),
        43: m.Expect(m.Locator("title", "Settings"), (m.Assertion("contains", "Sett"),)),
        44: m.Expect(
            m.Locator("label", "Nickname"),
            (m.Assertion("enabled", True), m.Assertion("value", "42")),
        ),
        45: m.Expect(m.Locator("role", "listitem"), (m.Assertion("count", 3),)),
        48: m.Expect(
            m.Locator("role", "link", name=m.Regex("^Help")),
            (
                m.Assertion("attribute", "/help", attribute="href"),
                m.Assertion("attribute", "_blank", attribute="target"),
            ),
        ),
    }
    for line, expected in cases.items():
        assert _step(every, line).action == expected, line


def test_nested_locators(every: m.Journey) -> None:
    row = _step(every, 49).action
    frame = _step(every, 50).action
    assert isinstance(row, m.Expect)
    assert isinstance(frame, m.Expect)
    assert row.locator == m.Locator(
        "role", "row", nth=-1, has_text="Total", within=m.Locator("testid", "cart")
    )
    assert row.locator.describe() == 'testid="cart" >> role="row" >> has_text="Total" >> nth=-1'
    assert frame.locator == m.Locator("text", "Pay", frame=m.Locator("selector", "#payment"))


def test_page_assertions_and_waits(every: m.Journey) -> None:
    assert _step(every, 51).action == m.ExpectUrl("/profile")
    assert _step(every, 52).action == m.ExpectTitle(m.Regex("^Profile"))
    assert _step(every, 53).action == m.Wait(m.Locator("role", "progressbar"), state="hidden")
    assert _step(every, 54).action == m.Wait(url=m.Regex("/profile$"))
    assert _step(every, 55).action == m.Wait(response="/api/profile")
    assert _step(every, 56).action == m.Wait(load_state="networkidle")


def test_save(every: m.Journey) -> None:
    assert _step(every, 57).action == m.Save(
        (
            m.SavedValue("user_id", m.Locator("testid", "user-id")),
            m.SavedValue("nickname", m.Locator("label", "Nickname"), "value"),
            m.SavedValue("help_link", m.Locator("role", "link", name="Help"), "attribute", "href"),
            m.SavedValue("plain", m.Locator("selector", "#plain")),
            m.SavedValue("by_text", m.Locator("text", "Welcome")),
        )
    )


def test_request(every: m.Journey) -> None:
    assert _step(every, 63).action == m.Request(
        url="/api/users/${user_id}",
        method="PUT",
        headers={"Authorization": "Bearer ${token}", "X-Count": "1"},
        json={"nickname": "${nickname}", "tags": ["a", "b"], "nested": {"ok": True}},
        expect=m.ResponseCheck((200, 204), {"ok": True}, m.Regex("ok")),
        save={"version": "data.version"},
    )
    setup = every.setup[0].action
    assert setup == m.Request(
        url="/api/reset", method="POST", data={"scope": "all"}, save={"token": "auth.token"}
    )


def test_screenshot_and_step_options(every: m.Journey) -> None:
    assert _step(every, 70).action == m.Screenshot("profile")
    full = _step(every, 71)
    assert full.action == m.Screenshot("full", full_page=True)
    assert (full.name, full.timeout, full.title) == (
        "A full-page screenshot",
        0.5,
        "A full-page screenshot",
    )
    assert _step(every, 70).title == "screenshot profile"
    assert every.teardown[0].kind == "request"


def test_regex_compiles_to_a_python_pattern() -> None:
    assert m.Regex("^qa", ignore_case=True).compile().match("QA team")
    assert str(m.Regex("a+", ignore_case=True)) == "/a+/i"


def test_type_force_and_evaluate(every: m.Journey) -> None:
    editor = m.Locator("css", ".CodeMirror textarea")
    assert _step(every, 74).action == m.Type("select 1", editor, 0.01)
    assert _step(every, 75).action == m.Type("42", None)
    assert _step(every, 76).action == m.Click(m.Locator("css", ".CodeMirror"), force=True)
    assert _step(every, 77).action == m.Fill(m.Locator("label", "Hidden"), "x", force=True)
    assert _step(every, 78).action == m.Select(m.Locator("label", "Size"), ("L",), force=True)
    assert _step(every, 79).action == m.Evaluate("document.title")
    assert _step(every, 80).action == m.Evaluate("() => 1 + 1", "two", 2, checks=True)
    assert _step(every, 81).action == m.Evaluate(
        "document.title", None, m.Regex("^Profile"), checks=True
    )


def test_level_count_ranges_and_table_cells(every: m.Journey) -> None:
    assert _step(every, 83).action == m.Expect(
        m.Locator("role", "heading", level=2), (m.Assertion("count", m.CountRange(1, 3)),)
    )
    assert _step(every, 84).action == m.Expect(
        m.Locator("css", "table", row="Dune", column="Price"), (m.Assertion("text", "€9.50"),)
    )
    assert str(m.CountRange(1, 3)) == "at least 1 and at most 3"
    assert m.CountRange(max=2).holds(0)
    assert not m.CountRange(min=1).holds(0)


def test_visual_checks(every: m.Journey) -> None:
    assert _step(every, 85).action == m.ExpectScreenshot("profile-page")
    assert _step(every, 86).action == m.ExpectScreenshot(
        "card",
        element=m.Locator("testid", "card"),
        mask=(m.Locator("testid", "clock"), m.Locator("selector", "#ad")),
        threshold=0.1,
        max_diff_pixels=25,
    )
    assert _step(every, 87).action == m.ExpectAria('- link "Home"', m.Locator("role", "navigation"))
    assert _step(every, 88).action == m.ExpectAria('- heading "Profile"')
    assert _step(every, 89).action == m.ExpectAccessible()
    assert _step(every, 90).action == m.ExpectAccessible()
    serious = _step(every, 91).action
    assert serious == m.ExpectAccessible(
        m.Locator("testid", "checkout"), ("color-contrast", "image-alt"), (), ("region",), "serious"
    )
    assert isinstance(serious, m.ExpectAccessible)
    assert serious.counts("critical")
    assert serious.counts("serious")
    assert not serious.counts("moderate")
    assert not serious.counts(None)
    assert _step(every, 92).action == m.ExpectAccessible(tags=("wcag2a", "wcag2aa"))
    assert m.ExpectAccessible().counts("minor")
    assert m.ExpectAccessible().counts(None)
