"""The client of the payment provider. The demo's provider is simulated in-process and follows
the usual test-card convention: 4000 0000 0000 0002 is declined, every other valid card is paid."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

DECLINED_CARDS = frozenset({"4000000000000002"})


@dataclass(frozen=True)
class PaymentResult:
    approved: bool
    reference: str = ""
    message: str = ""


class PaymentGateway:
    def charge(self, card_number: str, amount_cents: int, description: str) -> PaymentResult:
        if card_number in DECLINED_CARDS:
            return PaymentResult(False, message="Your card was declined. Try another card.")
        return PaymentResult(True, reference=f"pay_{secrets.token_hex(8)}")
