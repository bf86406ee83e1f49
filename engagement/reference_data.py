"""The report states and problem categories a council starts with.

The data migration 0004 creates the same rows on a new database; this module lets tests
that empty the database, and the demo, put them back.
"""

from .models import IssueCategory, ReportState

STATES = [
    # code, label, description, is_open, is_initial, is_fixed, is_duplicate
    (
        "open",
        "Open",
        "Reported and waiting for the area team to look at it.",
        True,
        True,
        False,
        False,
    ),
    (
        "investigating",
        "Investigating",
        "The area team is looking into it.",
        True,
        False,
        False,
        False,
    ),
    (
        "action_scheduled",
        "Action scheduled",
        "The work to put it right is booked in.",
        True,
        False,
        False,
        False,
    ),
    ("fixed", "Fixed", "The area team has put it right.", False, False, True, False),
    (
        "not_responsible",
        "Not the council's responsibility",
        "Someone else deals with this: the update says who.",
        False,
        False,
        False,
        False,
    ),
    (
        "duplicate",
        "Duplicate",
        "Someone reported the same problem already: follow that report instead.",
        False,
        False,
        False,
        True,
    ),
    ("closed", "Closed", "No further action.", False, False, False, False),
]

CATEGORIES = [
    # name, slug, hint, target days
    ("Fly-tipping", "fly-tipping", "Rubbish dumped on the street or open land", 3),
    ("Litter", "litter", "Litter, overflowing bins, bags left out", 5),
    ("Graffiti", "graffiti", "Graffiti or fly-posting", 5),
    ("Dog fouling", "dog-fouling", "Dog mess on paths or in parks", 3),
    ("Overgrown vegetation", "overgrown-vegetation", "Hedges, trees or grass in the way", 10),
    ("Something else", "other", "Any other problem in the street", 10),
]


def report_reference_data_ensure() -> None:
    """Create any missing default state or category; existing rows are left as edited."""
    for order, (code, label, description, is_open, initial, fixed, duplicate) in enumerate(STATES):
        ReportState.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "description": description,
                "is_open": is_open,
                "is_initial": initial,
                "is_fixed": fixed,
                "is_duplicate": duplicate,
                "display_order": order,
            },
        )
    for order, (name, slug, hint, days) in enumerate(CATEGORIES):
        IssueCategory.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "hint": hint, "target_days": days, "display_order": order},
        )
