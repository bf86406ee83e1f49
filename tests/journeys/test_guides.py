"""The role guides: every guide is linked from the README, and every screenshot a guide
shows is committed, under 200 KB."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.journeys.steps import GUIDE_IMAGE_BYTES

GUIDES = Path(settings.BASE_DIR) / "docs" / "guides"
NAMES = ["officer", "board-member", "councillor", "resident", "partner-developer"]


@pytest.mark.parametrize("name", NAMES)
def test_guide_is_linked_from_the_readme(name):
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    assert f"docs/guides/{name}.md" in readme


@pytest.mark.parametrize("name", NAMES)
def test_guide_images_exist_and_are_small(name):
    text = (GUIDES / f"{name}.md").read_text()
    for image in re.findall(r"!\[[^\]]*\]\((img/[^)]+)\)", text):
        path = GUIDES / image
        assert path.exists(), (
            f"{name}.md shows {image}: run the journeys with COPRODUCE_GUIDE_SCREENSHOTS=1"
        )
        assert path.stat().st_size < GUIDE_IMAGE_BYTES, image


def test_partner_guide_points_to_the_api_reference():
    assert "../api.md" in (GUIDES / "partner-developer.md").read_text()
