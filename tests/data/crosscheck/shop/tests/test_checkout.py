"""Linked to the checkout feature by harness.yml's pattern on classname.name; no mocks, so
a wrong total fails here too."""

from tinyshop.checkout import format_price, total_cents


class TestTotal:
    def test_total_counts_quantities(self):
        assert total_cents({"M1": 2, "M2": 1}) == 2 * 1200 + 1500

    def test_price_format(self):
        assert format_price(2400) == "€24.00"
