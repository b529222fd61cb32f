"""Take a screenshot of each page of a running shop with headless Chromium, for docs/shop/.

    SHOP_PASSWORD=... python examples/shop/screenshots.py http://127.0.0.1:PORT docs/shop

The shop must be seeded with the same SHOP_PASSWORD; the cart-defect shot needs the shop to run
with SHOP_DEFECT=wrapped-api and is taken with --defect."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from harness.browser.discovery import find_browser
from harness.browser.launch import launch_chromium

VIEWPORT = {"width": 1100, "height": 760}


def shoot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    print(f"{folder / name}.png")


def log_in(page: Page, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill("demo@shop.test")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("flash")).to_be_visible()


def add(page: Page, sku: str, quantity: int = 1) -> None:
    page.goto(f"/products/{sku}")
    page.get_by_label("Quantity").fill(str(quantity))
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_test_id("add-status")).not_to_be_empty()


def guest_pages(page: Page, folder: Path) -> None:
    page.goto("/")
    shoot(page, folder, "catalog")
    page.goto("/?q=mug")
    shoot(page, folder, "search")
    page.goto("/signup")
    shoot(page, folder, "sign-up")
    page.goto("/login")
    shoot(page, folder, "log-in")


def customer_pages(page: Page, folder: Path, password: str) -> None:
    log_in(page, password)
    add(page, "M1", 2)
    shoot(page, folder, "product")
    add(page, "T2")
    page.goto("/cart")
    expect(page.get_by_test_id("cart-line")).to_have_count(2)
    shoot(page, folder, "cart")
    page.goto("/checkout")
    expect(page.get_by_test_id("checkout-total")).not_to_be_empty()
    page.get_by_label("Card number").fill("4242 4242 4242 4241")
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    shoot(page, folder, "checkout-errors")
    fill_checkout(page)
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    shoot(page, folder, "order-placed")
    page.get_by_role("link", name="Orders", exact=True).click()
    shoot(page, folder, "orders")


def fill_checkout(page: Page) -> None:
    page.get_by_label("Address").fill("1 Demo Street")
    page.get_by_label("Town or city").fill("Dublin")
    page.get_by_label("Postcode").fill("D02 X285")
    page.get_by_label("Country").select_option("Ireland")
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_label("Expiry date").fill("12/34")
    page.get_by_label("Security code").fill("123")


def defect_pages(page: Page, folder: Path) -> None:
    add(page, "M1", 2)
    page.goto("/cart")
    expect(page.get_by_role("alert")).to_be_visible()
    shoot(page, folder, "cart-wrapped-api")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--defect", action="store_true", help="the shop runs with wrapped-api")
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    executable = find_browser()
    with sync_playwright() as pw:
        browser = launch_chromium(pw, executable)
        page = browser.new_page(base_url=args.base_url, viewport=VIEWPORT)
        if args.defect:
            defect_pages(page, args.folder)
        else:
            guest_pages(page, args.folder)
            customer_pages(page, args.folder, os.environ["SHOP_PASSWORD"])
        browser.close()


if __name__ == "__main__":
    main()
