"""Screenshot baselines: where they live, and how a screenshot is compared with one.

A baseline of ``journeys/shop/cart.journey.yml`` named ``badge`` is
``journeys/shop/__screenshots__/cart/badge.png``: beside the journey, committed with it.

Comparison is pixelmatch's (the algorithm of Playwright Test's ``toHaveScreenshot``): a pixel
differs when its colour distance (YIQ) is above ``threshold`` (0 exact, 1 anything goes), and
pixels that only anti-aliasing changed are not counted. pixelmatch is pure Python (about 0.1 ms
for each pixel it looks at closely), so Pillow first finds the pixels over the threshold, the
same measure computed on whole images at once: none, or no more than the step allows, is a
match; too many to be anti-aliasing is a mismatch counted as it is; otherwise pixelmatch looks
at the box around them, with a margin for its anti-aliasing test, which looks two pixels around
each one.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from harness.core.paths import without_journey_suffix

if TYPE_CHECKING:
    from PIL.Image import Image

#: The folder of baselines beside the journeys.
SNAPSHOT_FOLDER = "__screenshots__"
#: pixelmatch's colour threshold when a step gives none (Playwright Test's default too).
DEFAULT_THRESHOLD = 0.2
#: How far around a differing pixel pixelmatch's anti-aliasing test looks, plus one.
_MARGIN = 3
#: Over this many pixels over the threshold, anti-aliasing is not looked for: a change that
#: large is not anti-aliasing, and pixelmatch would take seconds.
AA_LIMIT = 20_000
#: pixelmatch's largest YIQ distance: a threshold t allows a distance of t² times this.
_MAX_YIQ_DELTA = 35215
#: Colours of the diff image: red for a pixel that differs, yellow for anti-aliasing.
_DIFF_RED = (255, 0, 0)
_AA_YELLOW = (255, 255, 0)


def journey_stem(file: str | Path) -> str:
    """``cart.journey.yml`` -> ``cart``: the file's name without its journey suffix."""
    name = Path(file).name
    stem = without_journey_suffix(name)
    return stem if stem != name else Path(name).stem


def baseline_path(journey_file: str | Path, name: str) -> Path:
    """Where the baseline ``name`` of the journey in ``journey_file`` lives."""
    journey = Path(journey_file)
    return journey.parent / SNAPSHOT_FOLDER / journey_stem(journey) / f"{name}.png"


@dataclass(frozen=True)
class Comparison:
    """A screenshot against its baseline: how many pixels differ (anti-aliasing not counted),
    both sizes, and the diff image (PNG; None when nothing differs)."""

    different_pixels: int
    expected_size: tuple[int, int]
    actual_size: tuple[int, int]
    diff_png: bytes | None
    anti_aliasing_checked: bool = True

    @property
    def same_size(self) -> bool:
        return self.expected_size == self.actual_size

    def matches(self, max_diff_pixels: int) -> bool:
        return self.same_size and self.different_pixels <= max_diff_pixels

    def describe(self) -> str:
        """What differs, in words: the sizes, else the pixel count and its share."""
        if not self.same_size:
            return (
                f"the size differs: expected {_size(self.expected_size)}, "
                f"actual {_size(self.actual_size)}"
            )
        width, height = self.actual_size
        share = self.different_pixels / max(width * height, 1)
        found = f"{self.different_pixels} pixels differ ({share:.2%} of {_size(self.actual_size)})"
        return found if self.anti_aliasing_checked else found + ", anti-aliasing not discounted"


def _size(size: tuple[int, int]) -> str:
    return f"{size[0]}×{size[1]}"


def read_png(data: bytes) -> Image:
    """An RGBA image of PNG ``data``; ValueError when it is not an image."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            converted: Image.Image = image.convert("RGBA")
            return converted
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError(f"not a PNG image: {exc}") from exc


def same_pixels(first: bytes, second: bytes) -> bool:
    """Whether two PNGs show exactly the same pixels (their bytes may differ)."""
    if first == second:
        return True
    a, b = read_png(first), read_png(second)
    return a.size == b.size and _difference_box(a, b) is None


def _difference_box(a: Image, b: Image) -> tuple[int, int, int, int] | None:
    from PIL import ImageChops

    return ImageChops.difference(a, b).getbbox(alpha_only=False)


def compare(
    expected: bytes, actual: bytes, threshold: float = DEFAULT_THRESHOLD, max_diff_pixels: int = 0
) -> Comparison:
    """Compare PNG ``actual`` with the baseline PNG ``expected``; up to ``max_diff_pixels``
    differing pixels may be counted without anti-aliasing being looked for (it only lowers)."""
    want, got = read_png(expected), read_png(actual)
    if want.size != got.size:  # fails whatever the pixels: marked exactly, no tolerance
        canvas = (max(want.width, got.width), max(want.height, got.height))
        a, b = _on_canvas(want, canvas), _on_canvas(got, canvas)
        count, marks = _exact_marks(a, b)
        return Comparison(count, want.size, got.size, _diff_image(a, marks, (0, 0)))
    if _difference_box(want, got) is None:
        return Comparison(0, want.size, got.size, None)
    over = _over_threshold(want, got, threshold)
    count = over.histogram()[255]
    if count <= max_diff_pixels:
        return Comparison(count, want.size, got.size, None)
    if count > AA_LIMIT:
        marks = _red(over)
        return Comparison(count, want.size, got.size, _diff_image(want, marks, (0, 0)), False)
    box = over.getbbox()
    assert box is not None  # count > 0
    crop = _grown(box, want.size)
    count, patch = _pixelmatch(want.crop(crop), got.crop(crop), threshold)
    if count == 0:
        return Comparison(0, want.size, got.size, None)
    return Comparison(count, want.size, got.size, _diff_image(want, patch, crop[:2]))


def _over_threshold(a: Image, b: Image, threshold: float) -> Image:
    """A mask (mode L, 255 = over) of the pixels whose YIQ distance is over ``threshold``:
    pixelmatch's measure, on opaque colours (both images laid on white first, as it does)."""
    from PIL import ImageMath

    limit = _MAX_YIQ_DELTA * threshold * threshold
    channels = zip(_on_white(a).split(), _on_white(b).split(), strict=True)
    dr, dg, db = (
        ImageMath.lambda_eval(lambda v: v["x"] - v["y"], x=x.convert("F"), y=y.convert("F"))
        for x, y in channels
    )
    delta = ImageMath.lambda_eval(
        lambda v: (
            0.5053 * (0.29889531 * v["r"] + 0.58662247 * v["g"] + 0.11448223 * v["b"]) ** 2
            + 0.299 * (0.59597799 * v["r"] - 0.2741761 * v["g"] - 0.32180189 * v["b"]) ** 2
            + 0.1957 * (0.21147017 * v["r"] - 0.52261711 * v["g"] + 0.31114694 * v["b"]) ** 2
        ),
        r=dr,
        g=dg,
        b=db,
    )
    over = ImageMath.lambda_eval(lambda v: v["d"] > limit, d=delta)
    mask: Image = over.convert("L").point(lambda v: 255 if v else 0)
    return mask


def _on_white(image: Image) -> Image:
    from PIL import Image as PILImage

    white = PILImage.new("RGBA", image.size, (255, 255, 255, 255))
    laid: Image = PILImage.alpha_composite(white, image).convert("RGB")
    return laid


def _red(mask: Image) -> Image:
    from PIL import Image as PILImage

    marks = PILImage.new("RGBA", mask.size, (0, 0, 0, 0))
    marks.paste((*_DIFF_RED, 255), (0, 0), mask)
    return marks


def _on_canvas(image: Image, canvas: tuple[int, int]) -> Image:
    """``image`` on a transparent canvas of ``canvas`` size: what one image lacks differs."""
    from PIL import Image as PILImage

    if image.size == canvas:
        return image
    placed = PILImage.new("RGBA", canvas, (0, 0, 0, 0))
    placed.paste(image, (0, 0))
    return placed


def _grown(box: tuple[int, int, int, int], canvas: tuple[int, int]) -> tuple[int, int, int, int]:
    left, top, right, bottom = box
    return (
        max(left - _MARGIN, 0),
        max(top - _MARGIN, 0),
        min(right + _MARGIN, canvas[0]),
        min(bottom + _MARGIN, canvas[1]),
    )


def _pixelmatch(a: Image, b: Image, threshold: float) -> tuple[int, Image]:
    from PIL import Image as PILImage
    from pixelmatch.contrib.PIL import pixelmatch

    patch = PILImage.new("RGBA", a.size)
    count = pixelmatch(a, b, patch, threshold=threshold, diff_color=_DIFF_RED, aa_color=_AA_YELLOW)
    return count, patch


def _exact_marks(a: Image, b: Image) -> tuple[int, Image]:
    """Every pixel that differs at all (alpha too), in red over a transparent layer."""
    from PIL import ImageChops

    channels = ImageChops.difference(a, b).split()
    mask = channels[0]
    for channel in channels[1:]:
        mask = ImageChops.lighter(mask, channel)
    mask = mask.point(lambda v: 255 if v else 0)
    return mask.histogram()[255], _red(mask)


def _diff_image(expected: Image, patch: Image, at: tuple[int, int]) -> bytes:
    """The baseline faded to grey, with the marks (red differs, yellow anti-aliasing) of the
    region compared pasted at ``at``."""
    from PIL import Image as PILImage

    grey = expected.convert("L").point(lambda v: 255 - (255 - v) // 10)
    faded = PILImage.merge("RGBA", (grey, grey, grey, PILImage.new("L", grey.size, 255)))
    faded.alpha_composite(patch, at)
    out = io.BytesIO()
    faded.save(out, format="PNG")
    return out.getvalue()
