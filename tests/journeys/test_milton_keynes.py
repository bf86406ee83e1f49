"""Journey 4, Milton Keynes environmental toolkits (issue 10).

A Neighbourhood Action Group sets 3 priorities; its trained chair signs the disclaimer and
borrows a kit; a prohibited job (a fly-tip with hazardous items) is refused as a job for
the experts and reported to the council instead; the activity report with photos is filed;
an overdue loan is flagged by the nightly check, run on the real worker.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from engagement.models import (
    ActivityReport,
    DisclaimerSignature,
    IssueReport,
    SafetyAlert,
    ToolkitLoan,
)
from engagement.tasks import volunteering_safety_check_task
from governance.models import Partnership, Priority, PriorityCycle
from governance.services.priorities import ballot_cast
from tests.accounts.factories import OfficerFactory, ResidentFactory
from tests.browser import DESKTOP, PHONE
from tests.engagement.factories import (
    DisclaimerFactory,
    ParticipantFactory,
    ProhibitedTaskFactory,
    ToolkitFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
    VolunteerFactory,
    VolunteerTaskFactory,
    category,
)
from tests.governance.factories import PartnershipFactory, PriorityCycleFactory, PriorityFactory
from tests.journeys.places import place_build
from tests.journeys.steps import look, sample_photo
from tests.worker import wait_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]

PRIORITIES = [
    ("Fly-tipping in the back lanes", 5),
    ("Litter around the shops on Queensway", 4),
    ("Overgrown paths to the school", 3),
    ("Dog fouling on the playing field", 1),
    ("Graffiti on the underpass", 0),
]


@pytest.fixture
def milton_keynes(db):
    place = place_build(
        council="Milton Keynes City Council",
        area="Bletchley and Fenny Stratford",
        area_label="Neighbourhood Action Group area",
        wards={"Bletchley East": "MK3 6AA", "Fenny Stratford": "MK2 2BB"},
    )
    officer = OfficerFactory(full_name="Dan Okoro", areas=[place.area])
    nag = PartnershipFactory(
        name="Bletchley East Neighbourhood Action Group",
        kind=Partnership.Kind.NEIGHBOURHOOD_ACTION_GROUP,
        area=place.ward,
    )
    cycle = PriorityCycleFactory(
        partnership=nag,
        title="Priorities for the next quarter",
        created_by=officer,
        needs_ratification=False,
        status=PriorityCycle.Status.VOTING,
    )
    priorities = {
        title: PriorityFactory(cycle=cycle, title=title, description="")
        for title, _votes in PRIORITIES
    }
    # Neighbours who voted at the meeting and online before the chair.
    for voter in range(5):
        participant = ParticipantFactory(home_ward=place.ward)
        ticks = [priorities[t].pk for t, votes in PRIORITIES if votes > voter][:3]
        ballot_cast(
            cycle=cycle,
            participant=participant,
            choices=dict.fromkeys(ticks, 1),
            channel="paper",
            cast_by=officer,
        )
    chair_user = ResidentFactory(
        full_name="Gill Baxter", email="gill.baxter@example.org", areas=[place.ward]
    )
    chair = ParticipantFactory(
        user=chair_user, email=chair_user.email, full_name="Gill Baxter", home_ward=place.ward
    )
    VolunteerFactory(participant=chair)
    course = TrainingCourseFactory(name="Environmental toolkit user training")
    TrainingRecordFactory(participant=chair, course=course)
    DisclaimerFactory(title="Environmental toolkit disclaimer")
    VolunteerTaskFactory(name="Litter pick", required_training=[course])
    ProhibitedTaskFactory(
        name="Clearing a fly-tip with hazardous items",
        instead="Do not touch it: send for the experts. Report it and the council's team "
        "removes it safely.",
        report_category=category("fly-tipping"),
    )
    kit = ToolkitFactory(code="MK-ENV-12", home_area=place.ward, required_training=course)
    return place, officer, cycle, chair_user, chair, kit


def day(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).strftime("%d/%m/%Y")


def test_milton_keynes_environmental_toolkits(new_page, milton_keynes, celery_worker, tmp_path):
    _place, officer, cycle, chair_user, chair, kit = milton_keynes

    # 1. The NAG sets 3 priorities: the chair votes on her phone ...
    phone = new_page(user=chair_user, viewport=PHONE)
    phone.goto("/")
    phone.get_by_role("link", name="1 local priority vote you can take part in").click()
    look(phone, "mk-votes-open", phone=True)
    phone.get_by_role("link", name=re.compile("Vote")).first.click()
    for title in [
        "Fly-tipping in the back lanes",
        "Overgrown paths to the school",
        "Dog fouling on the playing field",
    ]:
        phone.get_by_label(title).check()
    look(phone, "mk-ballot", phone=True, guide="resident-vote")
    phone.get_by_role("button", name="Cast my vote").click()
    expect(phone.get_by_text("Thank you: your vote has been counted.")).to_be_visible()

    # ... and the officer closes the vote and adopts the meeting's top 3.
    desk = new_page(user=officer, viewport=DESKTOP)
    desk.goto(reverse("governance:cycle_detail", args=[cycle.pk]))
    look(desk, "mk-cycle-voting")
    desk.get_by_role("button", name="Close voting and record the forum's result").click()
    desk.get_by_role("button", name="Adopt the forum's top 3").click()
    look(desk, "mk-cycle-decided", guide="officer-priorities-adopted")
    adopted = set(
        Priority.objects.filter(cycle=cycle, status=Priority.Status.ADOPTED).values_list(
            "title", flat=True
        )
    )
    assert adopted == {
        "Fly-tipping in the back lanes",
        "Litter around the shops on Queensway",
        "Overgrown paths to the school",
    }
    for title in adopted:
        expect(desk.locator("tr", has_text=title)).to_contain_text("Adopted")

    # 2. The trained chair signs the disclaimer on her phone ...
    phone.goto("/")
    phone.get_by_role("link", name="Your volunteering").click()
    look(phone, "mk-my-volunteering", phone=True)
    phone.goto(reverse("engagement:my_disclaimer"))
    phone.get_by_label("I have read the disclaimer and agree to it").check()
    phone.get_by_label("Type your full name to sign").fill("Gill Baxter")
    look(phone, "mk-disclaimer", phone=True, guide="resident-disclaimer")
    phone.get_by_role("button", name="Sign the disclaimer").click()
    expect(phone.get_by_text("Thank you: you signed version 1.")).to_be_visible()
    assert DisclaimerSignature.objects.filter(participant=chair).exists()

    # ... and borrows the kit.
    desk.goto(reverse("engagement:toolkit_list"))
    desk.get_by_role("link", name=re.compile("MK-ENV-12")).first.click()
    desk.get_by_role("link", name="Lend this kit").click()
    desk.get_by_label("Lend to").select_option(label="Gill Baxter (Bletchley East)")
    desk.get_by_label("For which group (optional)").fill("Bletchley East NAG")
    desk.get_by_label("Due back on").fill(day(14))
    look(desk, "mk-lend", guide="officer-toolkit-lend")
    desk.get_by_role("button", name="Lend the kit").click()
    expect(desk.get_by_text("MK-ENV-12 lent to Gill Baxter")).to_be_visible()
    loan = ToolkitLoan.objects.get(toolkit=kit)
    assert loan.holder == chair

    # 3. A fly-tip with hazardous items: a job for the experts, reported instead.
    phone.goto(reverse("engagement:volunteer_jobs"))
    experts = phone.locator("#experts").locator("xpath=..")
    expect(experts).to_contain_text("Clearing a fly-tip with hazardous items")
    expect(experts).to_contain_text("send for the experts")
    look(phone, "mk-jobs-for-experts", phone=True, guide="resident-jobs-for-experts")
    phone.get_by_role("link", name="Report clearing a fly-tip with hazardous items").click()
    expect(phone.get_by_label("Fly-tipping")).to_be_checked()
    phone.get_by_label("Postcode nearest").fill("MK3 6AA")
    phone.get_by_role("button", name="Continue", exact=True).click()
    phone.get_by_label("Describe the problem").fill(
        "Drums leaking something oily and broken asbestos sheets behind the garages"
    )
    phone.get_by_role("button", name="Send report").click()
    expect(phone.get_by_text("Report sent")).to_be_visible()
    look(phone, "mk-hazard-reported", phone=True)
    hazard = IssueReport.objects.get(category__slug="fly-tipping")
    assert hazard.by_champion is False
    # The officer cannot put volunteers on it either.
    desk.goto(reverse("engagement:activity_create"))
    options = desk.get_by_label("Task").locator("option")
    expect(options.filter(has_text="Clearing a fly-tip")).to_have_count(0)
    expect(
        desk.get_by_text("Jobs for the experts: never scheduled for volunteers")
    ).to_be_visible()
    look(desk, "mk-activity-create-experts")

    # 4. The chair files the activity report with photos.
    phone.goto(reverse("engagement:activity_report_create"))
    phone.get_by_label("What did you do?").select_option(label="Litter pick")
    phone.get_by_label("With which kit? (optional)").select_option(index=1)
    phone.get_by_label("Where", exact=True).fill("Back lanes off Queensway")
    phone.get_by_label("Bags of litter collected").fill("14")
    phone.get_by_label("How many people took part").fill("6")
    phone.get_by_label("Photo (optional)", exact=True).set_input_files(
        sample_photo(tmp_path, "before.jpg")
    )
    phone.get_by_label("Second photo (optional)", exact=True).set_input_files(
        sample_photo(tmp_path, "after.jpg")
    )
    look(phone, "mk-activity-report", phone=True, guide="resident-activity-report")
    phone.get_by_role("button", name="Send report").click()
    expect(phone.get_by_text(re.compile("Thank you: report AR"))).to_be_visible()
    report = ActivityReport.objects.get()
    assert report.loan == loan
    assert report.photos.count() == 2
    desk.goto(reverse("engagement:activity_report_list"))
    desk.get_by_role("link", name=re.compile(report.reference)).first.click()
    expect(
        desk.get_by_role("heading", name="Litter pick at Back lanes off Queensway")
    ).to_be_visible()
    expect(desk.locator("main img")).to_have_count(2)
    look(desk, "mk-activity-report-officer")

    # 5. The kit is not back on its due date: the nightly check flags it.
    # (The clock moves on two weeks: the signature's and the loan's dates move back instead.)
    DisclaimerSignature.objects.filter(participant=chair).update(
        signed_on=timezone.localdate() - timedelta(days=20)
    )
    ToolkitLoan.objects.filter(pk=loan.pk).update(
        disclaimer_signed_on=timezone.localdate() - timedelta(days=20),
        lent_on=timezone.localdate() - timedelta(days=15),
        due_on=timezone.localdate() - timedelta(days=1),
    )
    volunteering_safety_check_task.delay()
    assert wait_for(lambda: SafetyAlert.objects.filter(loan=loan).exists(), timeout=60), (
        celery_worker.log()
    )
    desk.goto("/")
    desk.get_by_role("link", name="1 toolkit loan overdue").click()
    expect(desk.locator("tr", has_text="MK-ENV-12")).to_contain_text("Overdue")
    look(desk, "mk-kits-overdue", guide="officer-toolkits-overdue")
    phone.goto("/")
    expect(phone.get_by_role("link", name="1 toolkit to return: it is overdue")).to_be_visible()
    look(phone, "mk-chair-home-overdue", phone=True)
