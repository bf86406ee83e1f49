"""Registering and editing projects: scope, version check, publishing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from coproduction.versioning import EditConflictError
from governance.models import AuditEvent
from projects import services
from projects.models import CoproductionForm, LadderRung, Project
from tests.accounts.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def details(**overrides) -> dict:
    values = {
        "title": "Street champions",
        "summary": "Residents keep their streets clean.",
        "service_area": None,
        "lead_officer": None,
        "mode": Project.Mode.COLLECTIVE,
        "scale": Project.Scale.PILOT,
        "ladder_target": LadderRung.PARTNERSHIP,
        "ladder_actual": None,
        "planned_start": None,
        "planned_end": None,
    }
    values.update(overrides)
    return values


def test_project_create_gives_a_reference_and_starts_in_design(officer, ward):
    # when
    project = services.project_create(
        created_by=officer, title="Street champions", areas=[ward], forms=["co_delivery"]
    )
    # then
    project.refresh_from_db()
    assert project.reference == f"CP-{project.pk:05d}"
    assert project.stage == Project.Stage.DESIGN
    assert project.forms == [CoproductionForm.CO_DELIVERY]
    assert AuditEvent.objects.filter(action="project.created", object_id=str(project.pk)).exists()


def test_project_create_keeps_the_councils_own_reference(officer, ward):
    project = services.project_create(
        created_by=officer, title="Cafés", areas=[ward], forms=["co_design"], reference="HBC-12"
    )
    assert project.reference == "HBC-12"


def test_project_create_refuses_a_reference_in_use(officer, ward, project):
    with pytest.raises(services.ProjectRuleError) as refused:
        services.project_create(
            created_by=officer,
            title="Cafés",
            areas=[ward],
            forms=["co_design"],
            reference=project.reference.lower(),
        )
    assert "reference" in refused.value.error_dict


def test_project_create_needs_an_area_and_a_form(officer):
    with pytest.raises(services.ProjectRuleError) as refused:
        services.project_create(created_by=officer, title="x", areas=[], forms=[])
    assert set(refused.value.error_dict) == {"areas", "forms"}
    assert not Project.objects.exists()


def test_officer_cannot_register_a_project_in_another_area(officer, other_ward):
    with pytest.raises(services.ProjectRuleError) as refused:
        services.project_create(
            created_by=officer, title="x", areas=[other_ward], forms=["co_design"]
        )
    assert "Rivermouth" in refused.value.error_dict["areas"][0].message


def test_only_staff_register_projects(elected_member, ward):
    with pytest.raises(PermissionDenied):
        services.project_create(
            created_by=elected_member, title="x", areas=[ward], forms=["co_design"]
        )


def test_project_update_saves_and_bumps_the_version(project, officer, ward):
    # given
    version = project.version
    # when
    updated = services.project_update(
        project=project,
        updated_by=officer,
        expected_version=version,
        areas=[ward],
        forms=["co_design", "co_assessment"],
        **details(title="Street champions", ladder_actual=LadderRung.CONSULTATION),
    )
    # then
    assert updated.version == version + 1
    project.refresh_from_db()
    assert project.title == "Street champions"
    assert project.co_assessment
    assert project.is_tokenistic
    event = AuditEvent.objects.get(action="project.updated")
    assert {"title", "ladder_actual", "co_assessment"} <= set(event.fields)


def test_concurrent_edits_by_two_officers_do_not_overwrite_each_other(project, officer, ward):
    """Both opened the form at the same version: the second save is refused."""
    # given
    colleague = OfficerFactory(areas=list(officer.areas.all()))
    opened_at = project.version
    services.project_update(
        project=project,
        updated_by=officer,
        expected_version=opened_at,
        areas=[ward],
        forms=["co_design"],
        **details(title="First officer's title"),
    )
    # when
    with pytest.raises(EditConflictError):
        services.project_update(
            project=project,
            updated_by=colleague,
            expected_version=opened_at,
            areas=[ward],
            forms=["co_design"],
            **details(title="Second officer's title"),
        )
    # then
    project.refresh_from_db()
    assert project.title == "First officer's title"


def test_officer_of_another_area_cannot_change_the_project(project, other_ward, ward):
    # given
    outsider = OfficerFactory(areas=[other_ward.parent])
    # when / then
    with pytest.raises(PermissionDenied):
        services.project_update(
            project=project,
            updated_by=outsider,
            expected_version=project.version,
            areas=[ward],
            forms=["co_design"],
            **details(title="Taken over"),
        )
    project.refresh_from_db()
    assert project.title != "Taken over"


def test_project_update_refuses_planned_end_before_start(project, officer, ward):
    with pytest.raises(services.ProjectRuleError) as refused:
        services.project_update(
            project=project,
            updated_by=officer,
            expected_version=project.version,
            areas=[ward],
            forms=["co_design"],
            **details(
                planned_start=datetime.date(2026, 5, 1), planned_end=datetime.date(2026, 4, 1)
            ),
        )
    assert "planned_end" in refused.value.error_dict


def test_project_publish_needs_a_public_summary(project, officer):
    with pytest.raises(services.ProjectRuleError):
        services.project_publish(
            project=project, actor=officer, public_summary=" ", expected_version=project.version
        )
    published = services.project_publish(
        project=project,
        actor=officer,
        public_summary="Residents keep Abbey Fields tidy.",
        expected_version=project.version,
    )
    assert published.is_published
    assert published.published_at is not None
    unpublished = services.project_unpublish(
        project=project, actor=officer, expected_version=published.version
    )
    assert not unpublished.is_published


def test_tokenism_needs_a_claim_of_coproduction():
    project = Project(ladder_actual=LadderRung.INFORMING)
    assert not project.is_tokenistic
    project.co_design = True
    assert project.is_tokenistic
    project.ladder_actual = LadderRung.PARTNERSHIP
    assert not project.is_tokenistic
