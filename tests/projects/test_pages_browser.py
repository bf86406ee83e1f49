"""Every project page in Chromium: axe-core (WCAG 2.2 AA) and a screenshot; the public
pages at 320 px and by keyboard."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from coproduction.accounts.models import User
from projects import services
from projects.models import Measurement, Project
from tests.browser import PHONE, assert_accessible, assert_error_page, save_screenshot
from tests.projects.scenario import rich_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def full_project(project, officer, elected_member, ward):
    return rich_project(project, officer=officer, member=elected_member, ward=ward)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def urls_for(project) -> dict[str, str]:
    entry = project.roster.filter(participant__isnull=False).first()
    line = project.funding.filter(status="awaiting_signoff").first() or project.funding.first()
    measurement = Measurement.objects.filter(indicator__project=project).first()
    indicator = measurement.indicator
    return {
        "list": reverse("projects:list"),
        "create": reverse("projects:create"),
        "leverage": reverse("projects:leverage"),
        "detail": reverse("projects:detail", args=[project.pk]),
        "update": reverse("projects:update", args=[project.pk]),
        "publish": reverse("projects:publish", args=[project.pk]),
        "stage": reverse("projects:stage", args=[project.pk]),
        "move_back": reverse("projects:move_back", args=[project.pk]),
        "stop": reverse("projects:stop", args=[project.pk]),
        "signoff_request": reverse("projects:signoff_request", args=[project.pk]),
        "document_add": reverse("projects:document_add", args=[project.pk]),
        "document_delete": reverse(
            "projects:document_delete", args=[project.pk, project.documents.first().pk]
        ),
        "roster_add": reverse("projects:roster_add", args=[project.pk]) + "?q=Resident",
        "roster_add_person": reverse("projects:roster_add", args=[project.pk])
        + f"?participant={entry.participant_id}",
        "roster_update": reverse("projects:roster_update", args=[project.pk, entry.pk]),
        "roster_remove": reverse("projects:roster_remove", args=[project.pk, entry.pk]),
        "funding_add": reverse("projects:funding_add", args=[project.pk]),
        "funding_update": reverse("projects:funding_update", args=[project.pk, line.pk]),
        "funding_signoff": reverse("projects:funding_signoff", args=[project.pk, line.pk]),
        "funding_commit": reverse("projects:funding_commit", args=[project.pk, line.pk]),
        "funding_withdraw": reverse("projects:funding_withdraw", args=[project.pk, line.pk]),
        "indicator_add": reverse("projects:indicator_add", args=[project.pk]),
        "indicator_update": reverse("projects:indicator_update", args=[project.pk, indicator.pk]),
        "measurement_add": reverse("projects:measurement_add", args=[project.pk, indicator.pk]),
        "measurement_delete": reverse(
            "projects:measurement_delete", args=[project.pk, indicator.pk, measurement.pk]
        ),
        "assessment": reverse("projects:assessment", args=[project.pk]),
    }


PAGES = [
    "list",
    "create",
    "leverage",
    "detail",
    "update",
    "publish",
    "stage",
    "move_back",
    "stop",
    "signoff_request",
    "document_add",
    "document_delete",
    "roster_add",
    "roster_add_person",
    "roster_update",
    "roster_remove",
    "funding_add",
    "funding_update",
    "funding_signoff",
    "funding_commit",
    "funding_withdraw",
    "indicator_add",
    "indicator_update",
    "measurement_add",
    "measurement_delete",
    "assessment",
]


def test_officer_pages_are_accessible(new_page, officer, full_project):
    """One browser session walks every officer page (cheaper than one test per page)."""
    page = new_page(user=officer)
    for name, url in urls_for(full_project).items():
        response = page.goto(url)
        assert response.status == 200, name
        save_screenshot(page, f"projects-{name}")
        assert_accessible(page)


@pytest.mark.parametrize("role", ["elected_member", "board_member", "partner_user"])
def test_readers_see_the_project_page_accessibly(new_page, user_for_role, full_project, role):
    # given
    page = new_page(user=user_for_role(role))
    # when
    page.goto(reverse("projects:detail", args=[full_project.pk]))
    # then
    save_screenshot(page, f"projects-detail-{role}")
    assert_accessible(page)
    assert page.get_by_role("link", name="Edit details").count() == 0
    names_shown = page.get_by_text("Resident Number0").count() > 0
    assert names_shown == (role == "elected_member")


def test_form_errors_are_summarised_and_accessible(new_page, officer, full_project):
    # given
    page = new_page(user=officer)
    page.goto(reverse("projects:funding_add", args=[full_project.pk]))
    # when
    page.get_by_label("Amount").fill("lots")
    page.get_by_role("button", name="Add the funding").click()
    # then
    assert_error_page(page)
    summary = page.locator(".govuk-error-summary")
    assert "Choose where the money is from" in summary.inner_text()
    assert "Enter the amount in pounds" in summary.inner_text()
    save_screenshot(page, "projects-funding-add-errors")
    assert_accessible(page)


def test_public_pages_fit_a_phone_and_show_no_personal_data(new_page, officer, full_project):
    # given
    services.project_publish(
        project=full_project,
        actor=officer,
        public_summary="Residents and the street scene team keep Town Centre clean.",
        expected_version=full_project.version,
    )
    page = new_page(viewport=PHONE)
    # when
    page.goto(reverse("projects:public_list"))
    # then
    save_screenshot(page, "projects-public-list-phone")
    assert no_horizontal_scroll(page)
    assert_accessible(page)
    # when: by keyboard, from the skip link to the project's page
    page.keyboard.press("Tab")
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        if focused == full_project.title:
            break
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('projects:public_detail', args=[full_project.pk])}")
    # then
    save_screenshot(page, "projects-public-detail-phone")
    assert no_horizontal_scroll(page)
    assert_accessible(page)
    text = page.locator("main").inner_text()
    assert "Resident Number0" not in text
    assert officer.full_name not in text
    assert "Sergeant Priya Patel" not in text


def test_resident_sees_public_projects_in_the_menu(new_page, resident, officer, full_project):
    services.project_publish(
        project=full_project,
        actor=officer,
        public_summary="Residents keep Town Centre clean.",
        expected_version=full_project.version,
    )
    page = new_page(user=resident, viewport=PHONE)
    page.goto(reverse("home"))
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Local projects").click()
    page.wait_for_url(f"**{reverse('projects:public_list')}")
    assert page.get_by_role("link", name=full_project.title).is_visible()
    assert no_horizontal_scroll(page)
    assert_accessible(page)


def test_demo_projects_are_accessible(new_page):
    """The demo council's projects, as its officer and the public see them."""
    # given
    call_command("seed_demo", "--force", stdout=None)
    administrator = User.objects.get(email="admin@northfield.example.gov.uk")
    page = new_page(user=administrator)
    # when / then
    for name, url in [
        ("list", reverse("projects:list")),
        ("leverage", reverse("projects:leverage")),
    ]:
        page.goto(url)
        save_screenshot(page, f"projects-demo-{name}")
        assert_accessible(page)
    for project in Project.objects.filter(reference__startswith="DEMO-"):
        assert page.goto(reverse("projects:detail", args=[project.pk])).status == 200
        save_screenshot(page, f"projects-demo-{project.reference}")
        assert_accessible(page)
    public = new_page(viewport=PHONE)
    for project in Project.objects.filter(is_published=True):
        assert public.goto(reverse("projects:public_detail", args=[project.pk])).status == 200
        save_screenshot(public, f"projects-demo-public-{project.reference}")
        assert no_horizontal_scroll(public)
        assert_accessible(public)
