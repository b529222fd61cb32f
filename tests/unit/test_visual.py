"""Screenshot baselines: where they live, and what a comparison counts (images made with Pillow)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from harness.core.visual import (
    AA_LIMIT,
    baseline_path,
    compare,
    journey_stem,
    read_png,
    same_pixels,
)


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def page(size: tuple[int, int] = (200, 100)) -> Image.Image:
    image = Image.new("RGBA", size, "white")
    ImageDraw.Draw(image).rectangle((10, 10, 60, 40), fill=(20, 40, 160, 255))
    return image


def red_pixels(data: bytes) -> int:
    pixels = read_png(data).convert("RGB").tobytes()
    return sum(1 for i in range(0, len(pixels), 3) if pixels[i : i + 3] == b"\xff\x00\x00")


def test_baselines_lie_beside_the_journey_under_its_stem() -> None:
    assert journey_stem("journeys/shop/cart.journey.yml") == "cart"
    assert journey_stem("a.journey.yaml") == "a"
    assert baseline_path(Path("journeys/shop/cart.journey.yml"), "badge") == Path(
        "journeys/shop/__screenshots__/cart/badge.png"
    )


def test_the_same_image_matches_and_has_no_diff() -> None:
    found = compare(png(page()), png(page()))
    assert (found.different_pixels, found.diff_png, found.matches(0)) == (0, None, True)
    assert same_pixels(png(page()), png(page().convert("RGB")))


def test_a_changed_box_is_counted_and_marked_red() -> None:
    changed = page()
    ImageDraw.Draw(changed).rectangle((100, 50, 109, 59), fill=(200, 0, 0, 255))
    found = compare(png(page()), png(changed))
    assert found.different_pixels == 100
    assert not found.matches(99)
    assert found.matches(100)
    assert found.diff_png is not None
    assert red_pixels(found.diff_png) == 100
    assert found.describe() == "100 pixels differ (0.50% of 200×100)"
    assert not same_pixels(png(page()), png(changed))


def test_a_colour_shift_under_the_threshold_matches() -> None:
    shifted = Image.new("RGBA", (50, 50), (250, 250, 250, 255))
    white = Image.new("RGBA", (50, 50), "white")
    assert compare(png(white), png(shifted)).different_pixels == 0
    assert compare(png(white), png(shifted), threshold=0.0).different_pixels == 2500


def test_anti_aliased_edge_pixels_are_not_counted() -> None:
    """A black-white edge drawn once hard and once with a grey column between: the grey pixels
    sit between a darker and a brighter neighbour, as anti-aliasing puts them."""
    hard = Image.new("RGBA", (40, 20), "white")
    ImageDraw.Draw(hard).rectangle((0, 0, 19, 19), fill="black")
    soft = hard.copy()
    ImageDraw.Draw(soft).line((20, 0, 20, 19), fill=(128, 128, 128, 255))
    assert not same_pixels(png(hard), png(soft))
    assert compare(png(hard), png(soft)).different_pixels == 0


def test_a_size_change_never_matches_and_says_both_sizes() -> None:
    found = compare(png(page()), png(page((200, 120))))
    assert not found.same_size
    assert not found.matches(10**6)
    assert found.describe() == "the size differs: expected 200×100, actual 200×120"
    assert found.diff_png is not None
    assert red_pixels(found.diff_png) == 200 * 20


def test_a_change_too_large_for_anti_aliasing_is_counted_as_it_is() -> None:
    big = Image.new("RGBA", (300, 100), "white")
    black = Image.new("RGBA", (300, 100), "black")
    found = compare(png(big), png(black))
    assert found.different_pixels == 30_000 > AA_LIMIT
    assert not found.anti_aliasing_checked
    assert found.describe().endswith("anti-aliasing not discounted")
    assert compare(png(big), png(black), max_diff_pixels=30_000).matches(30_000)


def test_a_file_that_is_not_an_image_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="not a PNG image"):
        read_png(b"not an image")
