"""Checks the checkout form, field by field, with messages a customer can act on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

COUNTRIES = (
    "Austria",
    "Belgium",
    "France",
    "Germany",
    "Ireland",
    "Netherlands",
    "United Kingdom",
    "United States",
)
FIELDS = ("full_name", "address", "city", "postcode", "country", "card_number", "expiry", "cvc")
POSTCODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]{1,9}$")
EXPIRY = re.compile(r"^(\d{2})\s*/\s*(\d{2})$")


@dataclass(frozen=True)
class CheckoutForm:
    """A valid checkout form; the card itself is never stored, only its last four digits."""

    full_name: str
    address: str
    city: str
    postcode: str
    country: str
    card_number: str

    def order_details(self) -> dict[str, str]:
        return {
            "full_name": self.full_name,
            "address": self.address,
            "city": self.city,
            "postcode": self.postcode,
            "country": self.country,
            "card_last4": self.card_number[-4:],
        }


def luhn_valid(digits: str) -> bool:
    """The check digit test that every card number passes."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def card_error(number: str) -> str | None:
    digits = re.sub(r"[\s-]", "", number)
    if not digits:
        return "Enter your card number"
    if not digits.isdigit() or not 12 <= len(digits) <= 19 or not luhn_valid(digits):
        return "Enter a valid card number"
    return None


def expiry_error(value: str, today: date) -> str | None:
    match = EXPIRY.match(value.strip())
    if not match or not 1 <= int(match.group(1)) <= 12:
        return "Enter the expiry date as MM/YY"
    month, year = int(match.group(1)), 2000 + int(match.group(2))
    if (year, month) < (today.year, today.month):
        return "This card has expired"
    return None


def field_errors(form: dict[str, str], today: date) -> dict[str, str]:
    """Every problem with the form at once, by field name; empty when the form is valid."""
    errors: dict[str, str] = {}
    required = {
        "full_name": "Enter your full name",
        "address": "Enter your address",
        "city": "Enter your town or city",
    }
    for name, message in required.items():
        if not form.get(name, "").strip():
            errors[name] = message
    if not POSTCODE.match(form.get("postcode", "").strip()):
        errors["postcode"] = "Enter a valid postcode"
    if form.get("country") not in COUNTRIES:
        errors["country"] = "Choose a country"
    problems = {
        "card_number": card_error(form.get("card_number", "")),
        "expiry": expiry_error(form.get("expiry", ""), today),
        "cvc": None
        if re.fullmatch(r"\d{3,4}", form.get("cvc", "").strip())
        else "Enter the 3 or 4 digit security code",
    }
    errors.update({name: message for name, message in problems.items() if message})
    return errors


def parse_form(form: dict[str, str], today: date) -> tuple[CheckoutForm | None, dict[str, str]]:
    """The valid form, or None and the errors."""
    errors = field_errors(form, today)
    if errors:
        return None, errors
    return CheckoutForm(
        full_name=form["full_name"].strip(),
        address=form["address"].strip(),
        city=form["city"].strip(),
        postcode=form["postcode"].strip().upper(),
        country=form["country"],
        card_number=re.sub(r"[\s-]", "", form["card_number"]),
    ), {}
