"""The officer's journey in Chromium: a project taken from design to evaluate, stopped at
each gate until its conditions hold.

Elected members' decisions are made through governance.signoffs.signoff_decide, as the
councillor's page for them belongs to the governance app.
"""

import re

import pytest
from django.urls import reverse

from governance.models import SignOffRequest
from governance.signoffs import signoff_decide
from projects.models import FundingLine, Project
from tests.browser import assert_accessible, save_screenshot
from tests.projects.factories import ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def decide_pending(member) -> None:
    for request in SignOffRequest.objects.filter(status=SignOffRequest.Status.PENDING):
        signoff_decide(request=request, decided_by=member, approve=True, comment="Agreed")


def try_to_move_on(page) -> str:
    """Press the gate's button; return the error summary's text ("" if it moved)."""
    page.get_by_role("link", name=re.compile(r"^Move on to ")).click()
    page.get_by_role("button", name=re.compile(r"^(Check again and m|Move on to )")).click()
    summary = page.locator(".govuk-error-summary")
    return summary.inner_text() if summary.count() else ""


def record_decision(page, title: str) -> None:
    page.get_by_role("tab", name="Evidence").click()
    page.get_by_role("link", name="Add evidence").click()
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("What residents decided, or what the document shows").fill(
        "Residents chose the three streets to start with and the day of the week."
    )
    page.get_by_role("button", name="Save the evidence").click()


def ask_for_signoff(page) -> None:
    page.get_by_role("link", name=re.compile(r"^Ask for sign-off")).first.click()
    page.get_by_label("What is the elected member asked to approve?").fill(
        "Residents have decided, the roster is in place: ready to move on."
    )
    page.get_by_role("button", name="Ask for sign-off").click()


def add_to_roster(page, search: str, role: str) -> None:
    page.get_by_role("tab", name="Roster").click()
    page.get_by_role("link", name="Add someone to the roster").click()
    page.get_by_label("Find a person by name or email").fill(search)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=search).click()
    page.get_by_label(role, exact=True).check()
    page.get_by_label("Involve me").check()
    page.get_by_role("button", name="Add to the roster").click()


def test_officer_takes_a_project_from_design_to_evaluate(
    new_page, officer, elected_member, ward, settings
):
    settings.PROJECT_SPEND_SIGNOFF_THRESHOLD = "5000"
    ParticipantFactory(full_name="Grace Okonjo", home_ward=ward)
    page = new_page(user=officer)

    # Register the project.
    page.goto(reverse("projects:list"))
    page.get_by_role("link", name="Register a project").click()
    page.get_by_label("Title", exact=True).fill("Town Centre street champions")
    page.get_by_label("Summary").fill("Residents and the street scene team keep streets clean.")
    page.get_by_label("Town Centre").check()
    page.get_by_label("Co-design").check()
    page.get_by_label("Co-delivery").check()
    page.get_by_role("button", name="Register the project").click()
    assert page.locator("h1").inner_text().startswith("Town Centre street champions")
    project = Project.objects.get(title="Town Centre street champions")

    # Design: stopped at the gate, with everything missing named.
    missing = try_to_move_on(page)
    assert "Record what residents decided during design" in missing
    assert "Add a member of staff to the roster as staff lead" in missing
    assert "Ask an elected member to sign off leaving design" in missing
    save_screenshot(page, "journey-1-design-gate-refused")
    assert_accessible(page)

    page.goto(reverse("projects:detail", args=[project.pk]))
    record_decision(page, "Street walk with residents")
    add_to_roster(page, officer.full_name, "Staff lead")
    add_to_roster(page, "Grace Okonjo", "Co-designer")
    ask_for_signoff(page)
    # Still stopped: the member has not decided yet.
    missing = try_to_move_on(page)
    assert "the decision is awaited" in missing
    decide_pending(elected_member)
    page.goto(reverse("projects:detail", args=[project.pk]))
    assert try_to_move_on(page) == ""
    assert "The project moved on to commission" in page.locator("main").inner_text()
    save_screenshot(page, "journey-2-commission")

    # Commission: the assessment, an indicator and a new sign-off.
    missing = try_to_move_on(page)
    assert "Assess whether the community can deliver the service" in missing
    assert "Set at least one outcome, demand or cost indicator" in missing
    assert "Ask an elected member to sign off leaving commission" in missing
    page.goto(reverse("projects:detail", args=[project.pk]))
    record_decision(page, "Residents chose to run the litter picks")
    page.get_by_role("tab", name="Commissioning").click()
    page.get_by_role("link", name="Assess the community's capacity").click()
    page.get_by_label("Community group or organisation assessed").fill("Town Centre Residents")
    page.get_by_label("The service, or the part of it, they could deliver").fill("Litter picks")
    for field in ("capacity", "skills", "governance", "insurance", "risks"):
        page.locator(f'input[name="{field}"][value="ready"]').check()
    page.get_by_label("Part of the service").check()
    page.get_by_label("The council and the community deliver it together").check()
    page.get_by_label("Reason for the decision").fill("Hazardous fly-tips stay with staff.")
    save_screenshot(page, "journey-3-assessment")
    page.get_by_role("button", name="Save the assessment").click()
    page.get_by_role("tab", name="Outcomes").click()
    page.get_by_role("link", name="Add an indicator").click()
    page.get_by_label("Name", exact=True).fill("Residents satisfied with cleanliness")
    page.get_by_label("Percentage").check()
    page.get_by_label("Higher is better").check()
    page.get_by_label("Baseline", exact=True).fill("61")
    page.locator('input[name="baseline_on_0"]').fill("1")
    page.locator('input[name="baseline_on_1"]').fill("4")
    page.locator('input[name="baseline_on_2"]').fill("2025")
    page.get_by_label("Target (optional)").fill("78")
    page.get_by_role("button", name="Save the indicator").click()
    ask_for_signoff(page)
    decide_pending(elected_member)
    page.goto(reverse("projects:detail", args=[project.pk]))
    assert try_to_move_on(page) == ""
    assert "The project moved on to deliver" in page.locator("main").inner_text()

    # Deliver: council spend over the threshold holds the gate until signed off.
    page.get_by_role("tab", name="Funding").click()
    page.get_by_role("link", name="Add funding").click()
    # (Devolved budgets' awards are funding decisions: tests/journeys/test_durham.py.)
    page.get_by_label("Council service budget").check()
    page.get_by_label("Amount").fill("£12,000")
    page.get_by_label("What it pays for").fill("Litter picking kit")
    page.get_by_role("button", name="Add the funding").click()
    record_decision(page, "Residents agreed the picking rota")
    missing = try_to_move_on(page)
    assert "£12,000.00 from Council service budget" in missing
    save_screenshot(page, "journey-4-deliver-gate-refused")
    page.goto(reverse("projects:detail", args=[project.pk]))
    page.get_by_role("tab", name="Funding").click()
    page.get_by_role("link", name=re.compile(r"^Ask for sign-off of £12,000")).click()
    page.get_by_role("button", name="Ask for sign-off").click()
    decide_pending(elected_member)
    # The member's approval commits the line (projects.services.funding_line_signoff_decided).
    assert FundingLine.objects.get().status == FundingLine.Status.COMMITTED
    page.goto(reverse("projects:detail", args=[project.pk]))
    assert try_to_move_on(page) == ""

    # Evaluate.
    project.refresh_from_db()
    assert project.stage == Project.Stage.EVALUATE
    assert list(project.transitions.values_list("to_stage", flat=True)) == [
        "commission",
        "deliver",
        "evaluate",
    ]
    page.goto(reverse("projects:detail", args=[project.pk]))
    save_screenshot(page, "journey-5-evaluate")
    assert_accessible(page)
