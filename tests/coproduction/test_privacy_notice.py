"""The privacy notice the app shows and docs/privacy-notice.md say the same thing, and
what the notice says about retention matches the schedule the nightly job enforces."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from coproduction.retention import retention

BASE = Path(settings.BASE_DIR)


def blocks(template: str) -> list[str]:
    """The notice's headings, paragraphs and list items, whitespace collapsed."""
    return [
        " ".join(match.group(2).split())
        for match in re.finditer(r"<(h2|p|li)[^>]*>(.*?)</\1>", template, re.S)
    ]


def test_the_document_has_every_heading_paragraph_and_item_of_the_page():
    # given
    template = (BASE / "templates" / "pages" / "privacy.html").read_text()
    document = " ".join((BASE / "docs" / "privacy-notice.md").read_text().split())
    # then
    missing = [block for block in blocks(template) if block not in document]
    assert missing == []
    assert len(blocks(template)) > 20


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("engagement.champions_unconfirmed", "never confirmed: 30 days"),
        ("engagement.champions_ended", "2 years after they stop"),
        ("engagement.issue_report_reporters", "1 year after it is fixed or closed"),
        ("engagement.event_registrations", "1 year after the event"),
        ("engagement.equality_inactive", "3 years after you last took part"),
        ("security.sign_in_logs", "records of signing in: 1 year"),
    ],
)
def test_the_periods_in_the_notice_are_the_schedules(rule, words):
    # given
    number, unit = re.search(r"(\d+) (days|years?)", words).groups()
    days = int(number) * (365 if unit.startswith("year") else 1)
    template = " ".join((BASE / "templates" / "pages" / "privacy.html").read_text().split())
    # then
    assert retention.rules[rule].default_days == days
    assert words in template


@pytest.mark.django_db
def test_the_page_names_the_council(client, settings):
    # given
    settings.COUNCIL_NAME = "Northfield Borough Council"
    # when
    response = client.get(reverse("privacy"))
    # then
    assert response.status_code == 200
    text = response.content.decode()
    assert "Northfield Borough Council is the data controller" in text
    assert "{{" not in text
