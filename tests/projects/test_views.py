"""The project pages: what each person may reach, forms that refuse bad input with a 400
and write nothing, and the version check across two officers' browsers."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.models import SignOffRequest
from projects import services
from projects.models import FundingLine, Measurement, Project, ProjectDocument, RosterEntry
from tests.accounts.factories import BoardMemberFactory, OfficerFactory, PartnerUserFactory
from tests.projects import gate_helpers
from tests.projects.factories import FundingLineFactory, ParticipantFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def project_form_data(project, ward, **overrides) -> dict:
    data = {
        "title": project.title,
        "summary": project.summary,
        "service_area": "",
        "areas": [ward.pk],
        "forms": ["co_design"],
        "mode": "collective",
        "scale": "pilot",
        "ladder_target": "6",
        "ladder_actual": "",
        "lead_officer": "",
        "version": project.version,
    }
    data.update(overrides)
    return data


def test_officer_registers_a_project(client, officer, ward):
    # given
    client.force_login(officer)
    # when
    response = client.post(
        reverse("projects:create"),
        {
            "title": "Community cafés",
            "summary": "Adults with learning disabilities run two cafés with volunteers.",
            "areas": [ward.pk],
            "forms": ["co_design", "co_delivery"],
            "mode": "collective",
            "scale": "pilot",
            "ladder_target": "7",
            "ladder_actual": "",
            "lead_officer": officer.pk,
            "planned_start_0": "1",
            "planned_start_1": "4",
            "planned_start_2": "2026",
        },
    )
    # then
    project = Project.objects.get(title="Community cafés")
    assert response.status_code == 302
    assert response.url == reverse("projects:detail", args=[project.pk])
    assert project.co_delivery
    assert project.co_design
    assert project.planned_start == datetime.date(2026, 4, 1)
    assert list(project.areas.all()) == [ward]


def test_registering_with_bad_input_is_a_400_that_writes_nothing(client, officer, ward):
    # given
    client.force_login(officer)
    # when
    response = client.post(
        reverse("projects:create"),
        {
            "title": "",
            "areas": [ward.pk],
            "forms": [],
            "mode": "collective",
            "scale": "pilot",
            "ladder_target": "6",
            "planned_start_0": "31",
            "planned_start_1": "2",
            "planned_start_2": "2026",
        },
    )
    # then
    assert response.status_code == 400
    content = response.content.decode()
    assert "<title>Error: " in content
    assert "Enter the project&#x27;s title" in content
    assert "Choose at least one form of co-production" in content
    assert "Enter a real date" in content
    assert not Project.objects.exists()


def test_an_area_outside_the_officer_is_not_offered_nor_accepted(client, officer, other_ward):
    client.force_login(officer)
    response = client.post(
        reverse("projects:create"),
        {
            "title": "x",
            "areas": [other_ward.pk],
            "forms": ["co_design"],
            "mode": "collective",
            "scale": "pilot",
            "ladder_target": "6",
        },
    )
    assert response.status_code == 400
    assert not Project.objects.exists()


def test_two_officers_editing_at_once_cannot_overwrite_each_other(client, officer, project, ward):
    """Both open the edit form; the first saves; the second is told and nothing of
    theirs is saved."""
    # given
    colleague = OfficerFactory(areas=list(officer.areas.all()))
    opened = project_form_data(project, ward)
    client.force_login(officer)
    first = client.post(reverse("projects:update", args=[project.pk]), {**opened, "title": "A"})
    assert first.status_code == 302
    client.force_login(colleague)
    # when
    second = client.post(reverse("projects:update", args=[project.pk]), {**opened, "title": "B"})
    # then
    assert second.status_code == 409
    assert "Someone else changed this record while you were editing it" in (
        second.content.decode()
    )
    project.refresh_from_db()
    assert project.title == "A"


def test_two_officers_editing_one_roster_entry_cannot_overwrite_each_other(
    client, officer, roster_entry
):
    """Both open the roster entry's form; the first saves; the second is told, with the
    form again as 409, and nothing of theirs is saved."""
    # given
    colleague = OfficerFactory(areas=list(officer.areas.all()))
    url = reverse("projects:roster_update", args=[roster_entry.project_id, roster_entry.pk])
    opened = {
        "role": RosterEntry.Role.VOLUNTEER,
        "participation_level": "involved",
        "started_on_0": "5",
        "started_on_1": "1",
        "started_on_2": "2026",
        "hours": "3",
        "version": roster_entry.version,
    }
    client.force_login(officer)
    assert f'name="version" value="{roster_entry.version}"' in client.get(url).content.decode()
    first = client.post(url, {**opened, "hours": "12"})
    assert first.status_code == 302
    client.force_login(colleague)
    # when
    second = client.post(url, {**opened, "hours": "4"})
    # then
    assert second.status_code == 409
    assert "Someone else changed this record while you were editing it" in (
        second.content.decode()
    )
    roster_entry.refresh_from_db()
    assert roster_entry.hours == Decimal("12")


def test_two_officers_editing_one_indicator_cannot_overwrite_each_other(
    client, officer, indicator
):
    """Both open the indicator's form; the first saves a new target; the second is told,
    with the form again as 409, and nothing of theirs is saved."""
    # given
    colleague = OfficerFactory(areas=list(officer.areas.all()))
    url = reverse("projects:indicator_update", args=[indicator.project_id, indicator.pk])
    client.force_login(officer)
    opened = {
        "name": indicator.name,
        "kind": indicator.kind,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "baseline_value": str(indicator.baseline_value),
        "baseline_on_0": str(indicator.baseline_on.day),
        "baseline_on_1": str(indicator.baseline_on.month),
        "baseline_on_2": str(indicator.baseline_on.year),
        "version": client.get(url).context["form"].initial["version"],
    }
    assert client.post(url, {**opened, "target_value": "4000"}).status_code == 302
    client.force_login(colleague)
    # when
    second = client.post(url, {**opened, "target_value": "5000"})
    # then
    assert second.status_code == 409
    assert "Someone else changed this record while you were editing it" in (
        second.content.decode()
    )
    indicator.refresh_from_db()
    assert indicator.target_value == Decimal("4000")


def test_officer_of_another_area_cannot_reach_the_project(client, project, other_ward, ward):
    # given
    outsider = OfficerFactory(areas=[other_ward.parent])
    client.force_login(outsider)
    # when
    pages = [
        client.get(reverse("projects:detail", args=[project.pk])),
        client.get(reverse("projects:update", args=[project.pk])),
        client.post(
            reverse("projects:update", args=[project.pk]),
            project_form_data(project, ward, title="Taken over"),
        ),
        client.post(reverse("projects:stop", args=[project.pk]), {"reason": "Mine now"}),
    ]
    # then: nothing is learnt about it, nothing changes
    assert [page.status_code for page in pages] == [404, 404, 404, 404]
    project.refresh_from_db()
    assert project.title != "Taken over"
    assert project.stage == Project.Stage.DESIGN


def test_councillor_reads_but_cannot_change_the_project(client, elected_member, project, ward):
    client.force_login(elected_member)
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 200
    response = client.post(
        reverse("projects:update", args=[project.pk]),
        project_form_data(project, ward, title="Changed by a member"),
    )
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.title != "Changed by a member"


def test_partner_sees_only_projects_its_agency_is_on(client, project, other_project, ward):
    # given
    partner = PartnerUserFactory(areas=[ward.parent])
    client.force_login(partner)
    # when
    listed = client.get(reverse("projects:list"))
    # then
    assert list(listed.context["page_obj"]) == []
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 404


def test_board_member_sees_roster_counts_but_not_names(client, roster_entry, project, ward):
    client.force_login(BoardMemberFactory(areas=[ward.parent]))
    content = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Jane Resident" not in content
    assert "1 person takes part" in content


def test_list_filters_narrow_the_register_and_count_by_stage(client, officer, ward):
    # given
    ProjectFactory(areas=[ward], title="Cafés", co_design=False, co_delivery=True)
    ProjectFactory(areas=[ward], title="Toolkits", stage="deliver")
    ProjectFactory(areas=[ward], title="Grants", stage="deliver", ladder_actual=4)
    client.force_login(officer)
    # when
    response = client.get(reverse("projects:list"), {"stage": "deliver"})
    by_form = client.get(reverse("projects:list"), {"form": "co_delivery"})
    tokenistic = client.get(reverse("projects:list"), {"tokenistic": "on"})
    # then
    assert {p.title for p in response.context["page_obj"]} == {"Toolkits", "Grants"}
    counts = {link["stage"]: link["count"] for link in response.context["stage_links"]}
    assert counts["deliver"] == 2
    assert counts["design"] == 1
    assert [p.title for p in by_form.context["page_obj"]] == ["Cafés"]
    assert [p.title for p in tokenistic.context["page_obj"]] == ["Grants"]


def test_a_bad_filter_is_a_400_with_the_reason(client, officer):
    client.force_login(officer)
    response = client.get(reverse("projects:list"), {"stage": "flying", "area": "x"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    csv = client.get(reverse("projects:export_csv"), {"stage": "flying"})
    assert csv.status_code == 400


def test_projects_csv_has_a_row_per_project_with_its_figures(client, officer, project):
    # given
    FundingLineFactory(project=project, amount=1000)
    FundingLineFactory(project=project, source="partner", funder_name="Police", amount=1720)
    client.force_login(officer)
    # when
    response = client.get(reverse("projects:export_csv"))
    # then
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("Reference,Title,Stage")
    assert len(lines) == 2
    row = lines[1].split(",")
    assert project.reference in row
    assert "1.72" in row


def test_stage_page_refuses_with_what_is_missing_then_moves_on(
    client, officer, elected_member, project
):
    # given
    client.force_login(officer)
    url = reverse("projects:stage", args=[project.pk])
    # when
    refused = client.post(url, {"to_stage": "commission"})
    # then
    assert refused.status_code == 400
    assert "Ask an elected member to sign off leaving design" in refused.content.decode()
    project.refresh_from_db()
    assert project.stage == Project.Stage.DESIGN
    # when the gate's conditions hold
    gate_helpers.record_decision(project, officer)
    gate_helpers.staff_and_resident(project, officer)
    gate_helpers.sign_off_gate(project, officer, elected_member)
    moved = client.post(url, {"to_stage": "commission", "note": "Agreed at the forum"})
    # then
    assert moved.status_code == 302
    project.refresh_from_db()
    assert project.stage == Project.Stage.COMMISSION


def test_stage_page_error_summary_links_each_missing_condition_on_the_page(
    client, officer, project
):
    # given
    client.force_login(officer)
    # when the gate is closed
    page = client.post(
        reverse("projects:stage", args=[project.pk]), {"to_stage": "commission"}
    ).content.decode()
    # then every link in the summary goes to a condition shown on the page
    summary = page.split("govuk-error-summary__list")[1].split("</ul>")[0]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets
    assert "id_note" not in targets
    for target in targets:
        assert f'id="{target}"' in page


def test_a_second_move_on_from_a_stale_page_says_the_project_already_moved(
    client, officer, elected_member, project
):
    # given the project moved on from another tab (or the first of two clicks)
    client.force_login(officer)
    gate_helpers.record_decision(project, officer)
    gate_helpers.staff_and_resident(project, officer)
    gate_helpers.sign_off_gate(project, officer, elected_member)
    url = reverse("projects:stage", args=[project.pk])
    assert client.post(url, {"to_stage": "commission"}).status_code == 302
    # when the stale page is sent again
    response = client.post(url, {"to_stage": "commission"})
    # then it says why, not what is missing for the next stage
    assert response.status_code == 400
    summary = response.content.decode().split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert "already in commission" in summary
    assert "sign off leaving commission" not in summary
    project.refresh_from_db()
    assert project.stage == Project.Stage.COMMISSION


def test_a_second_move_back_from_a_stale_page_does_not_move_the_project_twice(
    client, officer, elected_member, project
):
    # given the project moved back from another tab (or the first of two clicks)
    gate_helpers.take_to(project, "deliver", officer=officer, member=elected_member)
    client.force_login(officer)
    url = reverse("projects:move_back", args=[project.pk])
    opened = client.get(url).context["form"].initial
    sent = {**opened, "reason": "Residents want to revisit the contract"}
    assert client.post(url, sent).status_code == 302
    # when the stale page is sent again
    response = client.post(url, sent)
    # then it says why, and the project is one stage back, not two
    assert response.status_code == 400
    assert "now in commission" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == Project.Stage.COMMISSION
    assert project.transitions.filter(direction="back").count() == 1


def test_a_second_restart_from_a_stale_page_does_not_move_the_project_back(
    client, officer, elected_member, project
):
    # given a stopped project restarted from another tab
    gate_helpers.take_to(project, "commission", officer=officer, member=elected_member)
    services.project_stop(project=project, actor=officer, reason="Funding withdrawn")
    client.force_login(officer)
    url = reverse("projects:move_back", args=[project.pk])
    sent = {**client.get(url).context["form"].initial, "reason": "Funding found"}
    assert client.post(url, sent).status_code == 302
    # when the stale page is sent again
    response = client.post(url, sent)
    # then it is refused: the project stays where it restarted
    assert response.status_code == 400
    project.refresh_from_db()
    assert project.stage == Project.Stage.COMMISSION


def test_asking_for_gate_signoff_in_the_browser(client, officer, project):
    client.force_login(officer)
    response = client.post(
        reverse("projects:signoff_request", args=[project.pk]),
        {"summary": "Residents chose the streets at the March workshop."},
    )
    assert response.status_code == 302
    request = SignOffRequest.objects.get()
    assert request.key == "stage:design"
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Waiting for a decision" in page


def test_committing_spend_without_signoff_is_refused_on_the_page(
    client, officer, project, settings
):
    # given
    settings.PROJECT_SPEND_SIGNOFF_THRESHOLD = "5000"
    client.force_login(officer)
    client.post(
        reverse("projects:funding_add", args=[project.pk]),
        {"source": "council_service", "amount": "£12,000", "description": "Skate park"},
    )
    line = FundingLine.objects.get()
    assert line.status == FundingLine.Status.AWAITING_SIGNOFF
    # when
    commit = client.post(reverse("projects:funding_commit", args=[project.pk, line.pk]))
    spend = client.post(
        reverse("projects:funding_update", args=[project.pk, line.pk]),
        {"description": "Skate park", "amount": "12000", "spent": "500", "version": line.version},
    )
    # then
    assert commit.status_code == 400
    assert "must sign it off before it is committed or spent" in commit.content.decode()
    assert spend.status_code == 400
    line.refresh_from_db()
    assert (line.status, line.spent) == (FundingLine.Status.AWAITING_SIGNOFF, 0)


def test_changing_an_amount_a_councillor_is_asked_about_says_what_became_of_the_request(
    client, officer, project, settings
):
    # given a £12,000 line a councillor is asked to sign off
    settings.PROJECT_SPEND_SIGNOFF_THRESHOLD = "5000"
    client.force_login(officer)
    client.post(
        reverse("projects:funding_add", args=[project.pk]),
        {"source": "council_service", "amount": "£12,000", "description": "Skate park"},
    )
    line = FundingLine.objects.get()
    services.funding_line_request_signoff(line=line, requested_by=officer)
    url = reverse("projects:funding_update", args=[project.pk, line.pk])

    def change(amount):
        line.refresh_from_db()
        form = {"description": "Skate park", "amount": amount, "spent": "0"}
        response = client.post(url, {**form, "version": line.version}, follow=True)
        return response.content.decode()

    # when raised, then lowered within the threshold
    raised = change("13000")
    lowered = change("4000")
    # then
    assert "Councillors are asked to decide the new amount instead of the old one." in raised
    assert "The new amount needs no sign-off, so it is committed" in lowered
    line.refresh_from_db()
    assert line.status == FundingLine.Status.COMMITTED


def test_the_officer_reads_why_a_member_refused_the_spend(
    client, officer, elected_member, project, settings
):
    """A refused funding line shows the member's reason, as a refused stage gate does."""
    # given
    from governance.signoffs import signoff_decide

    settings.PROJECT_SPEND_SIGNOFF_THRESHOLD = "5000"
    client.force_login(officer)
    client.post(
        reverse("projects:funding_add", args=[project.pk]),
        {"source": "council_service", "amount": "£12,000", "description": "Skate park"},
    )
    line = FundingLine.objects.get()
    client.post(reverse("projects:funding_signoff", args=[project.pk, line.pk]))
    request = SignOffRequest.objects.get(kind=SignOffRequest.Kind.SPEND)
    signoff_decide(
        request=request,
        decided_by=elected_member,
        approve=False,
        comment="Come back with a second quote.",
    )
    # when
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    # then
    assert "Rejected by Cllr Margaret Hughes" in page
    assert "Come back with a second quote." in page


def test_evidence_upload_is_checked_and_downloaded_only_by_those_who_see_names(
    client, officer, project, ward, settings, tmp_path
):
    # given
    settings.MEDIA_ROOT = tmp_path
    client.force_login(officer)
    url = reverse("projects:document_add", args=[project.pk])
    base = {"stage": "design", "kind": "decision", "title": "Forum notes", "summary": "Chose 3"}
    # when: a program is refused
    refused = client.post(url, {**base, "file": SimpleUploadedFile("run.exe", b"MZ")})
    # then
    assert refused.status_code == 400
    assert not ProjectDocument.objects.exists()
    # when: notes are accepted
    accepted = client.post(url, {**base, "file": SimpleUploadedFile("notes.pdf", b"%PDF-1.4")})
    assert accepted.status_code == 302
    document = ProjectDocument.objects.get()
    download = reverse("projects:document_download", args=[project.pk, document.pk])
    response = client.get(download)
    assert response.status_code == 200
    assert 'filename="notes.pdf"' in response["Content-Disposition"]
    client.force_login(BoardMemberFactory(areas=[ward.parent]))
    assert client.get(download).status_code == 403


def test_a_decision_needs_what_residents_decided(client, officer, project):
    client.force_login(officer)
    response = client.post(
        reverse("projects:document_add", args=[project.pk]),
        {"stage": "design", "kind": "decision", "title": "Forum", "summary": ""},
    )
    assert response.status_code == 400
    assert "Say what residents decided" in response.content.decode()


def test_roster_search_offers_only_residents_in_the_officers_areas(
    client, officer, project, ward, other_ward
):
    # given
    near = ParticipantFactory(full_name="Nadia Near", home_ward=ward)
    far = ParticipantFactory(full_name="Nadia Far", home_ward=other_ward)
    client.force_login(officer)
    url = reverse("projects:roster_add", args=[project.pk])
    # when
    results = client.get(url, {"q": "Nadia"})
    # then
    assert list(results.context["residents"]) == [near]
    assert client.get(url, {"participant": far.pk}).status_code == 404
    assert client.get(url, {"participant": "nonsense"}).status_code == 404
    added = client.post(
        url,
        {
            "participant": near.pk,
            "role": "co_designer",
            "participation_level": "leading",
            "started_on_0": "2",
            "started_on_1": "3",
            "started_on_2": "2026",
            "hours": "3",
        },
    )
    assert added.status_code == 302
    assert RosterEntry.objects.get().participant == near
    refused = client.post(url, {"participant": far.pk, "role": "volunteer"})
    assert refused.status_code == 404


def test_a_one_character_roster_search_asks_for_two(client, officer, project, ward):
    # given: a one-letter name would match most residents
    ParticipantFactory(full_name="Nadia Near", home_ward=ward)
    client.force_login(officer)
    # when
    response = client.get(reverse("projects:roster_add", args=[project.pk]), {"q": " N "})
    # then: asked for more, not told that no one matches
    content = response.content.decode()
    assert "Enter at least 2 characters of a name or email" in content
    assert "<title>Error: " in content
    assert 'class="govuk-error-summary"' in content
    assert "matches" not in content
    assert response.context["query"] == ""


def test_a_reading_before_the_baseline_is_a_400(client, officer, indicator):
    client.force_login(officer)
    response = client.post(
        reverse("projects:measurement_add", args=[indicator.project_id, indicator.pk]),
        {"measured_on_0": "1", "measured_on_1": "1", "measured_on_2": "2001", "value": "10"},
    )
    assert response.status_code == 400
    assert "on or after the baseline date" in response.content.decode()
    assert not Measurement.objects.exists()


def test_unpublished_project_has_no_public_page(client, project):
    assert client.get(reverse("projects:public_detail", args=[project.pk])).status_code == 404


def test_public_page_shows_no_personal_data(client, officer, roster_entry, project):
    # given
    Project.objects.filter(pk=project.pk).update(
        is_published=True, public_summary="Residents keep Abbey Fields tidy."
    )
    # when
    content = client.get(reverse("projects:public_detail", args=[project.pk])).content.decode()
    # then
    assert "Residents keep Abbey Fields tidy." in content
    assert "Jane Resident" not in content
    assert officer.full_name not in content
    assert officer.email not in content


def test_leverage_page_shows_leverage_by_area(client, officer, project, ward):
    # given
    FundingLineFactory(project=project, amount=Decimal("10000"))
    FundingLineFactory(
        project=project, source="external_match", funder_name="Lottery", amount=Decimal("17200")
    )
    client.force_login(officer)
    # when
    response = client.get(reverse("projects:leverage"))
    # then
    rows = {row.area.name: row for row in response.context["rows"]}
    assert rows[ward.parent.name].leverage == Decimal("1.72")
    assert response.context["overall"].leverage == Decimal("1.72")
    assert "£1.72" in response.content.decode()


def test_planned_end_before_start_is_a_clear_field_error(client, officer, project, ward):
    client.force_login(officer)
    data = project_form_data(project, ward)
    data.update(
        {
            "planned_start_0": "1",
            "planned_start_1": "6",
            "planned_start_2": "2026",
            "planned_end_0": "1",
            "planned_end_1": "5",
            "planned_end_2": "2026",
        }
    )
    response = client.post(reverse("projects:update", args=[project.pk]), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "The planned end must be on or after the planned start" in content
    assert "Constraint" not in content


def test_an_assessment_decision_without_a_reason_is_a_clear_field_error(client, officer, project):
    client.force_login(officer)
    response = client.post(
        reverse("projects:assessment", args=[project.pk]),
        {
            "provider_name": "Friends of Abbey Park",
            "service_part": "Litter picks",
            **dict.fromkeys(["capacity", "skills", "governance", "insurance", "risks"], "ready"),
            "can_deliver": "none",
            "decision": "community_delivers",
            "decision_reason": "",
            "assessed_on_0": "1",
            "assessed_on_1": "3",
            "assessed_on_2": "2026",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Give the reason for the decision" in content
    assert "cannot be commissioned to deliver it" in content
    assert "Constraint" not in content


def test_the_roster_downloads_as_the_page_lists_it_and_the_download_is_audited(
    client, officer, project
):
    """An officer downloads the roster for a sign-in sheet or a funder's hours: the
    people, roles and hours the page lists, in its order, and the download is in the
    audit trail with the entries it named."""
    # given
    from governance.models import AuditEvent
    from tests.projects.factories import RosterEntryFactory, StaffLeadFactory

    lead = StaffLeadFactory(project=project, user=officer, hours=Decimal("12.50"))
    resident = RosterEntryFactory(
        project=project,
        participant__full_name="=HYPERLINK(1)",
        started_on=datetime.date(2026, 3, 1),
        ended_on=datetime.date(2026, 6, 30),
    )
    client.force_login(officer)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    url = reverse("projects:roster_csv", args=[project.pk])
    assert f'href="{url}">Download the roster (CSV)</a>' in page
    # when
    response = client.get(url)
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert f'filename="roster-{project.reference}-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [
        ["Name", "Taking part as", "Role", "Wants to be", "From", "To", "Hours"],
        [
            "'=HYPERLINK(1)",
            "Resident",
            "Co-designer",
            "Involve me",
            "2026-03-01",
            "2026-06-30",
            "4.00",
        ],
        [
            officer.full_name,
            "Council officer",
            "Staff lead",
            "Involve me",
            lead.started_on.isoformat(),
            "",
            "12.50",
        ],
    ]
    event = AuditEvent.objects.get(action="projects.roster.export")
    assert (event.actor, sorted(event.object_ids)) == (
        officer,
        sorted([str(lead.pk), str(resident.pk)]),
    )


def test_the_roster_download_is_refused_to_those_the_page_shows_no_names_to(
    client, project, partner_user
):
    from tests.projects.factories import RosterEntryFactory

    RosterEntryFactory(project=project)
    client.force_login(partner_user)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Download the roster" not in page
    assert client.get(reverse("projects:roster_csv", args=[project.pk])).status_code == 403


def test_a_member_is_offered_decide_only_for_the_sign_offs_that_are_theirs_to_decide(
    client, officer, elected_member, project, ward
):
    """A pending sign-off on the project page shows Decide to the members who may decide
    it: not to the holder of the neighbourhood budget it spends, nor to a member of other
    wards who opens the project (the link would be refused, or not found)."""
    # given: an award from the member's own neighbourhood budget, and a stage gate
    from governance.models import Budget
    from tests.accounts.factories import ElectedMemberFactory
    from tests.communities.factories import WardFactory
    from tests.governance.factories import BudgetFactory

    own_budget = BudgetFactory(
        name="Neighbourhood budget: Cllr Margaret Hughes",
        kind=Budget.Kind.NEIGHBOURHOOD_BUDGET,
        amount=Decimal("25000"),
        area=ward,
        holder=elected_member,
    )
    line = services.funding_line_create(
        project=project,
        created_by=officer,
        amount=Decimal("3000"),
        source=FundingLine.SOURCE_FOR_BUDGET_KIND[own_budget.kind],
        budget=own_budget,
    )
    award = services.funding_line_request_signoff(line=line, requested_by=officer)
    gate = services.project_gate_signoff_request(
        project=project, requested_by=officer, summary="Residents chose the route."
    )
    # and an award from the area budget, whose members in other wards then open the project
    their_budget = BudgetFactory(name="Northfield Central area budget", area=ward.parent)
    their_line = services.funding_line_create(
        project=project,
        created_by=officer,
        amount=Decimal("2000"),
        source=FundingLine.SOURCE_FOR_BUDGET_KIND[their_budget.kind],
        budget=their_budget,
    )
    theirs = services.funding_line_request_signoff(line=their_line, requested_by=officer)
    colleague = ElectedMemberFactory(full_name="Cllr Ann Davies", areas=[ward])
    elsewhere = ElectedMemberFactory(
        full_name="Cllr Hollie Turner-King",
        areas=[WardFactory(name="Abbey Fields", parent=ward.parent)],
    )
    url = reverse("projects:detail", args=[project.pk])

    def decide_links(member) -> set[int]:
        client.force_login(member)
        page = client.get(url).content.decode()
        return {int(pk) for pk in re.findall(r'href="/governance/sign-offs/(\d+)/">Decide', page)}

    # when / then
    assert decide_links(elected_member) == {gate.pk, theirs.pk}
    assert decide_links(colleague) == {gate.pk, award.pk, theirs.pk}
    assert decide_links(elsewhere) == {theirs.pk}
