"""What every journey does on each page: accessibility, phone width, screenshots.

`look(page, name)` is called on every page a journey visits. With
`COPRODUCE_GUIDE_SCREENSHOTS=1` the pages a journey names with `guide=` are also written
to `docs/guides/img/` (the viewport only, palette-compressed below 200 KB) for the role
guides.
"""

import io
import os
from pathlib import Path

from django.conf import settings
from PIL import Image

from tests.browser import assert_accessible, save_screenshot

GUIDE_IMAGES = Path(settings.BASE_DIR) / "docs" / "guides" / "img"
GUIDE_IMAGE_BYTES = 200_000


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def guide_screenshot(page, name: str) -> Path:
    """The visible part of the page at its (fixed) viewport, as a small PNG."""
    GUIDE_IMAGES.mkdir(parents=True, exist_ok=True)
    png = page.screenshot(full_page=False)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = 256
    while True:
        buffer = io.BytesIO()
        image.quantize(colors=colours).save(buffer, format="PNG", optimize=True)
        if buffer.tell() < GUIDE_IMAGE_BYTES or colours <= 16:
            break
        colours //= 2
    path = GUIDE_IMAGES / f"{name}.png"
    path.write_bytes(buffer.getvalue())
    return path


def look(page, name: str, *, phone: bool = False, guide: str | None = None) -> None:
    """Check the page as a person would meet it: axe-core (WCAG 2.2 AA), no sideways
    scrolling on a phone, a screenshot kept as a test artifact (and for a guide)."""
    assert_accessible(page)
    if phone:
        assert fits_the_screen(page), f"{name}: wider than the phone's screen"
    save_screenshot(page, f"journey-{name}")
    if guide and os.environ.get("COPRODUCE_GUIDE_SCREENSHOTS") == "1":
        guide_screenshot(page, guide)


def sample_photo(tmp_path: Path, name: str = "photo.jpg") -> Path:
    """A small real JPEG, as a phone's camera would send."""
    path = tmp_path / name
    Image.new("RGB", (640, 480), (120, 140, 90)).save(path, format="JPEG")
    return path


def choose(select, text: str) -> None:
    """Select the option of a <select> whose label contains `text`."""
    option = select.locator("option", has_text=text).first
    select.select_option(option.get_attribute("value"))
