"""Volunteers' safety at county scale: the gate, the officer's dashboard, the nightly check.

Builds a county's volunteering (volunteers with training, assessments in every state,
activities, kits on loan, some overdue) with bulk inserts, then prints:
- the gate for one volunteer (median of many calls) and the queries it runs, against a
  single-row lookup of the volunteer's record as the floor it is compared with;
- the dashboard for an officer covering the whole council, and its query count;
- the nightly check's first run (flagging and emailing) and its second run (nothing to
  do), with the ratio between them.
Emails go to Django's in-memory backend.
"""

import statistics
import time
from datetime import timedelta

from benchmarks.harness import Figure, benchmark_database, timed

SCALE = {
    # volunteers, assessments per task and ward, activities, kits
    "small": (2_000, 1, 200, 60),
    "county": (20_000, 2, 2_000, 400),
    "national": (100_000, 3, 10_000, 2_000),
}


def run(options) -> list[Figure]:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from communities.models import Area
    from engagement.models import (
        Disclaimer,
        Participant,
        RiskAssessment,
        RiskAssessmentHazard,
        Toolkit,
        ToolkitLoan,
        TrainingCourse,
        TrainingRecord,
        Volunteer,
        VolunteerActivity,
        VolunteerTask,
    )
    from engagement.volunteering import gate, selectors, services
    from tests.accounts.factories import OfficerFactory
    from tests.communities.factories import CouncilFactory, GroupingAreaFactory, WardFactory

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    people, per_ward, activities, kits = SCALE[options.scale]
    today = timezone.localdate()
    with benchmark_database():
        council = CouncilFactory(name="Bench council")
        groupings = [GroupingAreaFactory(name=f"Bench area {n}", parent=council) for n in range(6)]
        wards = [WardFactory(name=f"Bench ward {n}", parent=groupings[n % 6]) for n in range(60)]
        officer = OfficerFactory(areas=[council])
        approver = OfficerFactory(areas=[council])
        course = TrainingCourse.objects.create(name="Toolkit", valid_for_months=24)
        tasks = [
            VolunteerTask.objects.create(name=f"Task {n}", slug=f"task-{n}", minimum_age=16)
            for n in range(8)
        ]
        for task in tasks:
            task.required_training.add(course)
        Participant.objects.bulk_create(
            [
                Participant(full_name=f"Volunteer {n}", home_ward=wards[n % len(wards)])
                for n in range(people)
            ],
            batch_size=2000,
        )
        participants = list(Participant.objects.order_by("pk"))
        Volunteer.objects.bulk_create(
            [
                Volunteer(
                    participant=p,
                    year_of_birth=1950 + n % 50,
                    age_basis="legal_obligation",
                    inducted_on=today - timedelta(days=100),
                    pack_acknowledged=True,
                    emergency_procedures_covered=n % 7 != 0,
                    role_boundaries_covered=True,
                )
                for n, p in enumerate(participants)
            ],
            batch_size=2000,
        )
        TrainingRecord.objects.bulk_create(
            [
                TrainingRecord(
                    participant=p,
                    course=course,
                    completed_on=today - timedelta(days=n % 900),
                    expires_on=today - timedelta(days=n % 900) + timedelta(days=730),
                    trainer="Bench",
                )
                for n, p in enumerate(participants)
                for _ in range(2)
            ],
            batch_size=2000,
        )
        statuses = ["approved", "approved", "submitted", "draft", "under_review"]
        assessments = []
        for t, task in enumerate(tasks):
            for w, ward in enumerate(wards):
                for k in range(per_ward):
                    status = statuses[(t + w + k) % len(statuses)]
                    signed = status in ("approved", "under_review")
                    assessments.append(
                        RiskAssessment(
                            task=task,
                            area=ward,
                            site=f"Site {k}",
                            emergency_arrangements="999",
                            insurance="Policy",
                            status=status,
                            author=officer,
                            approved_by=approver if signed else None,
                            approved_at=timezone.now() if signed else None,
                            review_on=today + timedelta(days=(w * 7 + k) % 400 - 30)
                            if signed
                            else None,
                        )
                    )
        RiskAssessment.objects.bulk_create(assessments, batch_size=2000)
        RiskAssessmentHazard.objects.bulk_create(
            [
                RiskAssessmentHazard(
                    assessment=a,
                    hazard="Sharps",
                    who_might_be_harmed="Volunteers",
                    likelihood_before=3,
                    severity_before=4,
                    controls="Pickers",
                    likelihood_after=1,
                    severity_after=4,
                )
                for a in RiskAssessment.objects.all()
            ],
            batch_size=2000,
        )
        start = timezone.now()
        VolunteerActivity.objects.bulk_create(
            [
                VolunteerActivity(
                    title=f"Activity {n}",
                    task=tasks[n % len(tasks)],
                    area=wards[n % len(wards)],
                    site="Park",
                    starts_at=start + timedelta(days=n % 60),
                    ends_at=start + timedelta(days=n % 60, hours=2),
                )
                for n in range(activities)
            ],
            batch_size=2000,
        )
        disclaimer = Disclaimer.objects.create(
            version=1, title="Disclaimer", text="Text", in_force_from=today - timedelta(400)
        )
        Toolkit.objects.bulk_create(
            [
                Toolkit(
                    code=f"K{n:05d}",
                    name="Kit",
                    home_area=wards[n % len(wards)],
                    required_training=course,
                )
                for n in range(kits)
            ]
        )
        ToolkitLoan.objects.bulk_create(
            [
                ToolkitLoan(
                    toolkit=kit,
                    holder=participants[n],
                    lent_on=today - timedelta(days=40),
                    due_on=today + timedelta(days=(n % 30) - 15),
                    disclaimer=disclaimer,
                    disclaimer_signed_on=today - timedelta(days=50),
                    training_course=course,
                    training_completed_on=today - timedelta(days=100),
                )
                for n, kit in enumerate(Toolkit.objects.order_by("pk"))
            ]
        )
        ward = wards[3]
        volunteer = participants[3]

        def check():
            return gate.volunteer_gate_check(
                actor=officer, task=tasks[0], area=ward, on=today, volunteer=volunteer
            )

        check()
        samples = []
        for _ in range(50):
            began = time.perf_counter()
            check()
            samples.append(time.perf_counter() - began)
        gate_seconds = statistics.median(samples)
        with CaptureQueriesContext(connection) as queries:
            check()
        gate_queries = len(queries)
        floor = timed(lambda: Volunteer.objects.get(participant=volunteer), repeat=50)

        dashboard_seconds = timed(lambda: selectors.volunteering_dashboard(user=officer), repeat=5)
        with CaptureQueriesContext(connection) as queries:
            selectors.volunteering_dashboard(user=officer)
        dashboard_queries = len(queries)

        began = time.perf_counter()
        first = services.safety_checks_run(today=today)
        first_seconds = time.perf_counter() - began
        began = time.perf_counter()
        second = services.safety_checks_run(today=today)
        second_seconds = time.perf_counter() - began
        vendor = connection.vendor
        areas = Area.objects.count()
    return [
        Figure(f"gate: one volunteer, one task ({vendor})", gate_seconds * 1000, "ms",
               baseline=floor * 1000, goal="a few ms; compared with one row read"),
        Figure("gate: queries per check", gate_queries, "queries"),
        Figure(f"dashboard, whole council ({areas} areas)", dashboard_seconds * 1000, "ms"),
        Figure("dashboard: queries", dashboard_queries, "queries", goal="constant (6 + auth)"),
        Figure(f"nightly check, first run ({first['flagged']:,} flagged, "
               f"{first['emailed']:,} emailed)", first_seconds, "s"),
        Figure(f"nightly check, second run ({second['flagged']} flagged, "
               f"{second['emailed']} emailed)", second_seconds, "s",
               baseline=first_seconds, goal="nothing flagged or emailed twice"),
        Figure("volunteers", people, "people"),
        Figure("risk assessments", len(assessments), "rows"),
    ]  # fmt: skip
