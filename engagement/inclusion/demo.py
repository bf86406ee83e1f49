"""This app's part of the demo council (see coproduction.demo): idempotent, run last.

More residents come to the demo's past events (walk-ins, through the engagement
services), answering the equality questions the way forum regulars do: older, whiter,
less often disabled and from less deprived streets than their wards. Targets are set for
the programme, every area and active project gets its monthly schedule, and the
reports for the month just gone are worked out, so that the report pages open on the
under-representation the demo was built to show. A programme-wide report is published,
and each Area Action Partnership has a report over the same twelve months, for its board.
"""

import random

from django.utils import timezone

from communities.models import Area, DeprivationScore, Postcode
from coproduction.demo import DemoContext
from engagement import services as engagement_services
from engagement.models import EqualityResponse, Event, Participant
from governance.models import Partnership

from .models import Report, ScopeKind, Target
from .services import (
    ReportScope,
    TargetData,
    add_months,
    month_end,
    month_start,
    report_generate,
    report_publish,
    report_request,
    schedule_ensure,
    schedule_run,
    target_create,
)

SEED = "coproduce-demo-inclusion"
EXTRA_RESIDENTS = 180
FIRST = ["Margaret", "John", "Susan", "David", "Christine", "Peter", "Carol", "Brian",
         "Janet", "Michael", "Anne", "Graham", "Sadia", "Imran", "Grace", "Tyler"]  # fmt: skip
LAST = ["Armstrong", "Hodgson", "Lister", "Nixon", "Proud", "Tweddle", "Hussain",
        "Ahmed", "Okoro", "Fenwick", "Bainbridge", "Charlton"]  # fmt: skip
# Older, whiter, less often disabled than the census: the forum regulars' profile.
BIRTH_YEARS = list(range(1938, 1966)) * 3 + list(range(1966, 1990))
ETHNIC = ["white_british"] * 17 + ["white_irish", "asian_pakistani", "white_other"]
DISABILITY = ["not_disabled_no_condition"] * 11 + [
    "not_disabled_condition_not_limited",
    "disabled_limited_a_little",
    "prefer_not_to_say",
]
TARGETS = [
    ("age", "16_24", 10, 20, "Young people are a priority of the council plan."),
    ("disability", "disabled", 15, 35, "In line with the borough's disabled residents."),
    ("ethnic_group", "asian", 5, 15, "Northfield's Asian communities."),
]


def _postcodes_by_ward(wards) -> dict[int, list[tuple[str, int]]]:
    """Each ward's live postcodes with the IMD decile of their LSOA (latest edition)."""
    deciles: dict[int, int] = {}
    for lsoa, decile in DeprivationScore.objects.order_by("edition").values_list(
        "lsoa_id", "decile"
    ):
        deciles[lsoa] = decile
    found: dict[int, list[tuple[str, int]]] = {ward.pk: [] for ward in wards}
    for postcode, ward, lsoa in Postcode.objects.filter(
        ward__in=wards, terminated=False
    ).values_list("postcode", "ward_id", "lsoa_id"):
        found[ward].append((postcode, deciles.get(lsoa, 5)))
    return found


def _residents_build(rng: random.Random, officer) -> None:
    wards = list(Area.objects.filter(kind=Area.Kind.WARD).order_by("gss_code"))
    if not wards:
        return
    postcodes = _postcodes_by_ward(wards)
    events = {
        ward.pk: list(
            Event.objects.filter(area=ward, status=Event.Status.COMPLETED).order_by("starts_at")
        )
        for ward in wards
    }
    for n in range(EXTRA_RESIDENTS):
        ward = wards[n % len(wards)]
        email = f"forum.regular{n:03d}@example.org"
        # Draws happen whether or not the person exists, so a second run draws the same.
        options = postcodes[ward.pk]
        weights = [decile**3 for _postcode, decile in options]
        postcode = rng.choices(options, weights=weights)[0][0] if options else ""
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        visits = rng.randint(1, 4)
        answers = engagement_services.EqualityAnswers(
            year_of_birth=rng.choice(BIRTH_YEARS),
            sex="female" if rng.random() < 0.58 else "male",
            ethnic_group=rng.choice(ETHNIC),
            disability=rng.choice(DISABILITY),
            religion="christian" if rng.random() < 0.7 else "no_religion",
            sexual_orientation="straight" if rng.random() < 0.93 else "prefer_not_to_say",
            gender_identity="same_as_sex",
        )
        if Participant.objects.filter(email=email).exists() or not events[ward.pk]:
            continue
        attended = events[ward.pk][:visits]
        person = None
        for event in attended:
            attendance = engagement_services.attendance_walk_in(
                event=event, actor=officer, full_name=name, email=email, postcode=postcode
            )
            person = attendance.participant
        if (
            person is not None
            and not EqualityResponse.objects.filter(pseudonym=person.pseudonym).exists()
        ):
            engagement_services.equality_response_record(
                participant=person,
                answers=answers,
                lawful_basis=EqualityResponse.LawfulBasis.EXPLICIT_CONSENT,
                source=EqualityResponse.Source.PAPER,
            )


def _targets_build(officer) -> None:
    for dimension, category, low, high, note in TARGETS:
        if Target.objects.filter(area=None, dimension=dimension, category=category).exists():
            continue
        target_create(data=TargetData(dimension, category, low, high, note=note), actor=officer)


def demo_build(context: DemoContext) -> None:
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    officer = context.people.get("officer@northfield.example.gov.uk")
    admin = context.people.get("admin@northfield.example.gov.uk")
    _residents_build(rng, officer)
    _targets_build(officer)
    schedule_ensure()
    today = timezone.localdate()
    schedule_run(today=today)
    # The programme over the last 12 months, requested by the administrator and published.
    end = month_end(add_months(month_start(today), -1))
    start = add_months(month_start(end), -11)
    programme = Report.objects.filter(
        scope_key="programme", period_start=start, period_end=end, via=Report.Via.BROWSER
    ).first()
    if programme is None:
        programme = report_request(
            scope=ReportScope(ScopeKind.PROGRAMME),
            start=start,
            end=end,
            requested_by=admin,
        )
    # Each Area Action Partnership's year, for its board members.
    aaps = Partnership.objects.filter(kind=Partnership.Kind.AREA_ACTION_PARTNERSHIP)
    for partnership in aaps.order_by("pk"):
        scope = ReportScope(ScopeKind.PARTNERSHIP, partnership)
        if not Report.objects.filter(
            scope_key=scope.key, period_start=start, period_end=end
        ).exists():
            report_request(scope=scope, start=start, end=end, requested_by=officer)
    # Worked out here rather than left to the worker, so the demo opens ready.
    for report in Report.objects.filter(generated_at__isnull=True).order_by("pk"):
        report_generate(report_id=report.pk)
    programme.refresh_from_db()
    report_publish(report=programme, actor=admin, public=True)
