import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from engagement.models import (
    Attendance,
    EqualityResponse,
    IssuePhoto,
    IssueReport,
    Participant,
    ParticipationRecord,
    StreetChampion,
)
from engagement.services import EngagementError
from governance.models import AuditEvent
from tests.engagement.factories import (
    AttendanceFactory,
    EventFactory,
    IssueReportFactory,
    ParticipantFactory,
    PostcodeFactory,
    StreetChampionFactory,
    category,
    state,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_commit_now")]

SIGNUP = {
    "contact": {
        "full_name": "Maureen Pike",
        "email": "maureen@example.org",
        "phone": "07700 900123",
        "preferred_channels": ["email", "phone"],
    },
    "postcode": {"postcode": "nf1 1ab"},
    "patch": {"patch": "Elm Road"},
    "activities": {"activities": ["report_problems", "recycling_bags"], "wants_newsletter": "yes"},
    "level": {"participation_level": "involved"},
    "equality": {},
    "consent": {"agree": "on"},
}


def walk_signup(client):
    for step, data in SIGNUP.items():
        response = client.post(reverse("engagement:champion_step", args=[step]), data)
        assert response.status_code == 302, (step, response.content[:2000])
    return client.get(reverse("engagement:champion_check"))


def test_champion_signup_completes_with_every_equality_question_blank(client, ward):
    # given
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    # when
    check = walk_signup(client)
    done = client.post(reverse("engagement:champion_check"))
    # then
    assert check.status_code == 200
    assert b"Maureen Pike" in check.content
    assert done.url == reverse("engagement:champion_done")
    champion = StreetChampion.objects.get()
    assert champion.ward == ward
    assert not EqualityResponse.objects.exists()
    assert len(mail.outbox) == 1


def test_a_resident_signed_in_starts_the_champion_sign_up_with_what_the_council_holds(
    client, resident, resident_participant, ward
):
    """Their details, postcode and how involved they want to be start as their record has
    them (so answering the sign-up does not blank them), and the last page does not ask
    them to choose a password they already have."""
    # given
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    resident_participant.phone = "07700 900456"
    resident_participant.preferred_channels = ["email", "post"]
    resident_participant.address_line_1 = "3 Elm Road"
    resident_participant.address_town = "Northfield"
    resident_participant.postcode = "NF1 1AB"
    resident_participant.participation_level = "involved"
    resident_participant.save()
    client.force_login(resident)
    step = "engagement:champion_step"
    # when
    contact = client.get(reverse(step, args=["contact"])).context["form"]
    client.post(reverse(step, args=["contact"]), {**contact.initial})
    where = client.get(reverse(step, args=["postcode"])).context["form"]
    client.post(reverse(step, args=["postcode"]), where.initial)
    client.post(reverse(step, args=["patch"]), SIGNUP["patch"])
    client.post(reverse(step, args=["activities"]), SIGNUP["activities"])
    level = client.get(reverse(step, args=["level"])).context["form"]
    # then
    assert contact.initial == {
        "full_name": "Aisha Rahman",
        "email": resident.email,
        "phone": "07700 900456",
        "preferred_channels": ["email", "post"],
        "address_line_1": "3 Elm Road",
        "address_town": "Northfield",
    }
    assert where.initial == {"postcode": "NF1 1AB"}
    assert level.initial == {"participation_level": "involved"}
    # and a step already answered in this sign-up shows that answer, not the record
    changed = {**contact.initial, "phone": "07700 900789"}
    client.post(reverse(step, args=["contact"]), changed)
    again = client.get(reverse(step, args=["contact"])).context["form"]
    assert again.initial["phone"] == "07700 900789"
    # and someone who already has an account is not told to choose a password
    session = client.session
    session["engagement.champion_done"] = {"email": resident.email, "status": "awaiting_approval"}
    session.save()
    done = client.get(reverse("engagement:champion_done")).content.decode()
    assert "choose a password" not in done
    # while someone new still is
    session["engagement.champion_done"] = {"email": "new@example.org", "status": "unconfirmed"}
    session.save()
    done = client.get(reverse("engagement:champion_done")).content.decode()
    assert "You confirm your email and choose a password" in done


def test_equality_answers_given_without_saying_yes_are_asked_about_not_dropped(client, ward):
    # given every question before the equality one answered
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    for step in ("contact", "postcode", "patch", "activities", "level"):
        client.post(reverse("engagement:champion_step", args=[step]), SIGNUP[step])
    url = reverse("engagement:champion_step", args=["equality"])
    answers = {"year_of_birth": "1970", "religion": "buddhist"}
    # when the person answers questions but not whether we may use the answers
    response = client.post(url, answers)
    # then they are asked, their answers still on the page
    html = response.content.decode()
    assert response.status_code == 400
    assert "Select yes to let us use your answers, or no to skip these questions" in html
    assert 'value="1970"' in html
    # and when they say yes, the answers are kept
    assert client.post(url, {**answers, "equality_consent": "yes"}).status_code == 302
    client.post(reverse("engagement:champion_step", args=["consent"]), SIGNUP["consent"])
    client.post(reverse("engagement:champion_check"))
    assert EqualityResponse.objects.get().religion == "buddhist"


def test_equality_answers_with_no_to_using_them_are_skipped(client, ward):
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    for step in ("contact", "postcode", "patch", "activities", "level"):
        client.post(reverse("engagement:champion_step", args=[step]), SIGNUP[step])
    response = client.post(
        reverse("engagement:champion_step", args=["equality"]),
        {"religion": "buddhist", "equality_consent": "no"},
    )
    assert response.status_code == 302


def test_a_signup_the_service_refuses_shows_the_answers_again_with_why(client, ward, monkeypatch):
    """The step forms would not let it through; should the service refuse, the check page
    says why (400) and keeps the answers for the person to change."""
    # given
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    walk_signup(client)

    def refuse(**kwargs):
        raise EngagementError("Choose at least one thing you would like to do.")

    monkeypatch.setattr("engagement.views.services.champion_signup", refuse)
    # when
    response = client.post(reverse("engagement:champion_check"))
    # then
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Check your answers" in html
    assert (
        '<a href="#check-activities">Choose at least one thing you would like to do.</a>' in html
    )
    assert 'id="check-activities"' in html
    assert "Maureen Pike" in html
    assert not StreetChampion.objects.exists()


def test_double_submitted_signup_creates_nothing_twice(client, ward):
    # given
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    walk_signup(client)
    # when
    first = client.post(reverse("engagement:champion_check"))
    second = client.post(reverse("engagement:champion_check"))
    # then
    assert first.url == second.url == reverse("engagement:champion_done")
    assert StreetChampion.objects.count() == 1
    assert Participant.objects.count() == 1
    assert len(mail.outbox) == 1


def test_signup_question_shows_errors_with_a_summary_and_error_title(client):
    response = client.post(reverse("engagement:champion_step", args=["contact"]), {})
    assert response.status_code == 400
    assert b"<title>Error: " in response.content
    assert b"govuk-error-summary" in response.content
    assert b"Enter your full name" in response.content


def test_error_summary_links_to_the_first_option_of_a_checkbox_or_radio_group(client):
    # given the contact question answered without a way to contact them
    response = client.post(
        reverse("engagement:champion_step", args=["contact"]),
        {"full_name": "Maureen Pike", "email": "maureen@example.org"},
    )
    # then the summary's link goes to the first checkbox, an element on the page
    page = response.content.decode()
    assert 'href="#id_preferred_channels_1"' in page
    assert 'id="id_preferred_channels_1"' in page
    assert 'href="#id_preferred_channels"' not in page


def test_error_summary_links_a_form_error_to_the_first_option_of_radios(client, ward):
    from django import forms
    from django.template.loader import render_to_string

    from coproduction.forms import GovukForm

    class Choose(GovukForm):
        choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)

        def clean(self):
            raise forms.ValidationError("The form's own error")

    # given a form whose own error comes with one on its radios, which come first
    form = Choose({})
    form.is_valid()
    summary = render_to_string("includes/govuk/error_summary.html", {"form": form})
    assert summary.count('href="#id_choice_1"') == 2
    # and the report's radios are numbered so from 1
    response = client.post(reverse("engagement:report_start"), {})
    page = response.content.decode()
    assert 'href="#id_category_1"' in page
    assert 'id="id_category_1"' in page


def test_each_level_of_taking_part_says_what_it_means(
    client, resident, resident_participant, ward
):
    # given the sign-up answered up to how involved the person would like to be
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    for step in ("contact", "postcode", "patch", "activities"):
        client.post(reverse("engagement:champion_step", args=[step]), SIGNUP[step])
    signup_page = client.get(reverse("engagement:champion_step", args=["level"]))
    client.force_login(resident)
    details_page = client.get(reverse("engagement:my_details_edit"))
    # then both pages explain "Consult me" and "Involve me" under the choice
    for page in (signup_page, details_page):
        html = page.content.decode()
        assert "Consult me" in html
        assert "We also ask your views, in surveys or at meetings" in html
        assert 'class="govuk-hint govuk-radios__hint"' in html


def test_signup_pages_cannot_be_skipped(client):
    response = client.get(reverse("engagement:champion_step", args=["consent"]))
    assert response.url == reverse("engagement:champion_step", args=["contact"])


def test_signup_unknown_postcode_asks_for_the_area(client):
    client.post(reverse("engagement:champion_step", args=["contact"]), SIGNUP["contact"])
    response = client.post(
        reverse("engagement:champion_step", args=["postcode"]), {"postcode": "ZZ9 9ZZ"}
    )
    assert b"choose your area from the list" in response.content


def signed_up_and_emailed(client, ward) -> str:
    """A street champion's sign-up, checked and sent: the path of the emailed link."""
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    walk_signup(client)
    client.post(reverse("engagement:champion_check"))
    link = next(line for line in mail.outbox[0].body.splitlines() if "/confirm/" in line)
    return link.split("testserver")[-1].replace("http://127.0.0.1:8000", "")


def test_confirmation_link_leads_to_choosing_a_password(client, ward):
    # given
    path = signed_up_and_emailed(client, ward)
    # when
    page = client.get(path)
    response = client.post(path)
    # then
    assert page.status_code == 200
    assert "/password/reset/" in response.url
    assert StreetChampion.objects.get().status == StreetChampion.Status.AWAITING_APPROVAL


def test_new_champion_chooses_their_first_password_not_a_new_one(client, ward):
    # given a sign-up confirmed by its emailed link
    path = signed_up_and_emailed(client, ward)
    # when
    choose = client.post(path, follow=True)
    # then
    page = choose.content.decode()
    assert "Choose a password" in page
    assert "new password" not in page
    # when
    done = client.post(
        choose.redirect_chain[-1][0],
        {"new_password1": "heron-larch-swift-2026", "new_password2": "heron-larch-swift-2026"},
        follow=True,
    )
    # then
    page = done.content.decode()
    assert "Your password is set" in page
    assert "has been changed" not in page


def test_confirmation_with_a_bad_token_is_a_400_not_a_500(client):
    response = client.post(reverse("engagement:champion_confirm", args=["nonsense"]))
    assert response.status_code == 400


def photo_upload(name="p.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), "image/jpeg")


def report_details_send(client, key: str, **photos):
    """A visitor's second step of reporting a problem: description, name, email, photos."""
    return client.post(
        reverse("engagement:report_details"),
        {
            "description": "Mattress and bags",
            "full_name": "Sam Visitor",
            "email": "sam@example.org",
            "submission_key": key,
            **photos,
        },
    )


def test_visitor_reports_fly_tipping_with_a_photo_and_follows_it(client, ward, settings, tmp_path):
    # given
    settings.MEDIA_ROOT = tmp_path
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    fly = category("fly-tipping")
    # when
    client.post(
        reverse("engagement:report_start"),
        {"category": fly.pk, "postcode": "NF1 1AB", "location_description": "By the bins"},
    )
    details = client.get(reverse("engagement:report_details"))
    key = details.context["form"].initial["submission_key"]
    response = report_details_send(client, key, photo_1=photo_upload())
    # then
    report = IssueReport.objects.get()
    assert response.url == report.get_absolute_url()
    assert report.ward == ward
    assert report.reporter.email == "sam@example.org"
    assert IssuePhoto.objects.filter(report=report).count() == 1
    page = client.get(report.get_absolute_url())
    assert b"Sam Visitor" in page.content
    assert b"Open" in page.content


def test_a_visitor_giving_someone_elses_email_does_not_show_that_persons_name(client, ward):
    # given someone already known by that email
    ParticipantFactory(full_name="Aisha Rahman", email="sam@example.org", home_ward=ward)
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    client.post(
        reverse("engagement:report_start"), {"category": category().pk, "postcode": "NF1 1AB"}
    )
    key = (
        client.get(reverse("engagement:report_details")).context["form"].initial["submission_key"]
    )
    # when a visitor (not signed in) reports with that email
    response = report_details_send(client, key)
    # then the public page names no one: the email may not be theirs
    page = client.get(response.url).content.decode()
    assert "Aisha Rahman" not in page
    assert IssueReport.objects.get().anonymous


def test_report_photo_that_is_not_a_photo_is_an_error_on_that_photo(client, ward):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # given
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    client.post(
        reverse("engagement:report_start"),
        {"category": category("fly-tipping").pk, "postcode": "NF1 1AB"},
    )
    key = (
        client.get(reverse("engagement:report_details")).context["form"].initial["submission_key"]
    )
    # when the second photo is a text file
    response = report_details_send(
        client, key, photo_2=SimpleUploadedFile("notes.jpg", b"not a photo", "image/jpeg")
    )
    # then the error belongs to that photo and the summary links to it
    assert response.status_code == 400
    assert "notes.jpg" in " ".join(response.context["form"].errors["photo_2"])
    assert 'href="#id_photo_2"' in response.content.decode()
    assert not IssueReport.objects.exists()


def test_a_postcode_we_cannot_find_is_said_to_be_not_found(client, ward):
    # when: a postcode in the right shape that is not in the council's list
    response = client.post(
        reverse("engagement:report_start"), {"category": category().pk, "postcode": "NF9 9ZZ"}
    )
    # then: the person is told why they must choose the area
    assert response.status_code == 400
    assert response.context["form"].errors["ward"] == [
        "We could not find that postcode: choose the area the problem is in"
    ]


def test_photos_chosen_before_an_error_are_asked_for_again_and_only_then(client, ward):
    """A browser empties a file input when the page comes back with an error: each photo
    that was chosen says so, in the summary and beside it; one never chosen says nothing."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    # given
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    client.post(
        reverse("engagement:report_start"),
        {"category": category("fly-tipping").pk, "postcode": "NF1 1AB"},
    )
    key = (
        client.get(reverse("engagement:report_details")).context["form"].initial["submission_key"]
    )
    # when the second photo is refused and the first was fine
    refused = report_details_send(
        client,
        key,
        photo_1=photo_upload(),
        photo_2=SimpleUploadedFile("notes.jpg", b"not a photo", "image/jpeg"),
    )
    # and when the description is missing, with no photo chosen
    no_photos = client.post(
        reverse("engagement:report_details"),
        {"full_name": "Sam Visitor", "email": "sam@example.org", "submission_key": key},
    )
    # then
    errors = refused.context["form"].errors
    assert errors["photo_1"] == [
        "Choose the photo again: a file you chose is not kept when the page shows an error"
    ]
    assert "notes.jpg" in " ".join(errors["photo_2"])
    assert "photo_3" not in errors
    page = refused.content.decode()
    assert 'href="#id_photo_1">Choose the photo again' in page
    assert no_photos.status_code == 400
    assert "a file you chose is not kept" not in no_photos.content.decode()
    assert not IssueReport.objects.exists()


def test_report_details_offers_nearby_open_reports_first(client, ward):
    # given
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    existing = IssueReportFactory(
        reporter=ParticipantFactory(home_ward=ward), latitude="54.523600", longitude="-1.559500"
    )
    # when
    client.post(
        reverse("engagement:report_start"),
        {"category": category().pk, "postcode": "NF1 1AB"},
    )
    page = client.get(reverse("engagement:report_details"))
    # then
    assert existing.reference.encode() in page.content
    assert b"Has it already been reported?" in page.content


def test_report_start_without_a_location_is_refused(client):
    response = client.post(reverse("engagement:report_start"), {"category": category().pk})
    assert response.status_code == 400
    assert b"Error: " in response.content


def test_report_start_without_a_location_points_at_the_postcode_not_the_problem(client):
    # when: the problem is chosen but no postcode, description or point is given
    response = client.post(reverse("engagement:report_start"), {"category": category().pk})
    # then the error is at the postcode, the first place to say where, and the summary
    # links there, not to the question already answered
    form = response.context["form"]
    message = "Give a postcode or describe where the problem is (or place it on the map)"
    assert form.errors["postcode"] == [message]
    assert not form.non_field_errors()
    assert f'<a href="#id_postcode">{message}</a>' in response.content.decode()


def test_a_map_point_in_no_area_asks_for_the_area_before_the_details_are_typed(client, ward):
    # given a known postcode in the ward, far from the point chosen on the map
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    where = {"category": category().pk, "latitude": "51.500000", "longitude": "-0.120000"}
    # when
    response = client.post(reverse("engagement:report_start"), where)
    # then the first page asks for the area, instead of the second refusing the report
    assert response.status_code == 400
    assert "We cannot tell which area that point on the map is in" in response.content.decode()
    # and with the area chosen the report goes on
    response = client.post(reverse("engagement:report_start"), {**where, "ward": ward.pk})
    assert response.url == reverse("engagement:report_details")


def test_the_report_map_opens_on_the_councils_own_postcodes(client, ward):
    # given
    from decimal import Decimal

    PostcodeFactory(
        postcode="NF1 1AB", ward=ward, latitude=Decimal("54.5"), longitude=Decimal("-1.2")
    )
    PostcodeFactory(
        postcode="NF1 1BD", ward=ward, latitude=Decimal("54.6"), longitude=Decimal("-1.4")
    )
    # when
    page = client.get(reverse("engagement:report_start")).content.decode()
    # then
    assert 'data-centre="54.550000,-1.300000"' in page


def test_report_photo_is_hidden_from_the_public(client, ward, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = IssueReportFactory(reporter=ParticipantFactory(home_ward=ward))
    photo = IssuePhoto(report=report, width=1, height=1)
    photo.image.save("x.jpg", photo_upload().file, save=True)
    url = reverse("engagement:report_photo", args=[report.pk, photo.pk])
    assert client.get(url).status_code == 404


def test_officer_cannot_open_a_report_outside_their_areas(client, officer, other_ward):
    report = IssueReportFactory(reporter=ParticipantFactory(home_ward=other_ward))
    client.force_login(officer)
    assert client.get(reverse("engagement:report_manage", args=[report.pk])).status_code == 404


def test_officer_moves_a_report_to_fixed_and_the_reporter_sees_it(client, officer, ward):
    # given
    report = IssueReportFactory(reporter=ParticipantFactory(home_ward=ward))
    client.force_login(officer)
    # when
    response = client.post(
        reverse("engagement:report_manage", args=[report.pk]),
        {"action": "transition", "state": state("fixed").pk, "note": "Cleared", "version": 1},
    )
    # then
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state.code == "fixed"
    assert b"Cleared" in client.get(report.get_absolute_url()).content


def test_bulk_action_changes_only_reports_in_scope(client, officer, ward, other_ward):
    # given
    mine = IssueReportFactory(reporter=ParticipantFactory(home_ward=ward))
    theirs = IssueReportFactory(reporter=ParticipantFactory(home_ward=other_ward))
    client.force_login(officer)
    # when
    response = client.post(
        reverse("engagement:report_bulk"),
        {"reports": [mine.pk, theirs.pk], "state": state("investigating").pk},
    )
    # then
    assert response.status_code == 400
    assert b'<a href="#reports-table">Select a valid choice.' in response.content
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert theirs.state.code == "open"  # refused as a whole: one id was out of scope
    assert mine.state.code == "open"


def test_a_refused_bulk_update_shows_the_queue_again_with_the_reports_still_ticked(
    client, officer, ward
):
    # given
    ticked, left = (IssueReportFactory(reporter=ParticipantFactory(home_ward=ward)) for _ in "ab")
    client.force_login(officer)
    # when: no new status and no team
    response = client.post(
        reverse("engagement:report_bulk"),
        {"reports": [ticked.pk], "state": "", "team": "", "query": "state=all&page=1"},
    )
    no_reports = client.post(reverse("engagement:report_bulk"), {"state": state("fixed").pk})
    # then
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Reports queue" in html
    assert '<a href="#id_state">Choose a new status or a team</a>' in html
    assert f'value="{ticked.pk}" checked>' in html
    assert f'value="{left.pk}">' in html
    assert '<option value="all" selected>' in html  # the queue's filters kept
    assert 'name="query" value="state=all"' in html
    assert html.count(f'name="reports" type="checkbox" value="{ticked.pk}"') == 1
    assert f'type="hidden" name="reports" value="{ticked.pk}"' not in html
    assert no_reports.status_code == 400
    assert b'<a href="#reports-table">Select at least one report</a>' in no_reports.content
    assert set(IssueReport.objects.values_list("state__code", flat=True)) == {"open"}


def test_bulk_action_updates_the_selected_reports(client, officer, ward):
    reports = [IssueReportFactory(reporter=ParticipantFactory(home_ward=ward)) for _ in range(2)]
    client.force_login(officer)
    client.post(
        reverse("engagement:report_bulk"),
        {"reports": [r.pk for r in reports], "state": state("investigating").pk},
    )
    assert set(IssueReport.objects.values_list("state__code", flat=True)) == {"investigating"}


def test_queue_filters_ignore_nonsense_values(client, officer):
    client.force_login(officer)
    response = client.get(reverse("engagement:report_queue"), {"area": "x", "state": "zzz"})
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 12])
def test_report_queue_runs_a_constant_number_of_queries(
    client, officer, ward, rows, django_assert_num_queries
):
    # given
    champion = StreetChampionFactory(participant=ParticipantFactory(home_ward=ward))
    for n in range(rows):
        IssueReportFactory(
            reporter=champion.participant if n % 2 else ParticipantFactory(home_ward=ward)
        )
    client.force_login(officer)
    # session, user, the user's groups (roles, navigation), the filter form's states
    # and categories, the user's areas for the area filter, count, page of reports
    # (with category, state, ward, team), bulk form's states and teams
    with django_assert_num_queries(10):
        response = client.get(reverse("engagement:report_queue"))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 12])
def test_champion_list_runs_a_constant_number_of_queries(
    client, officer, ward, rows, django_assert_num_queries
):
    for _ in range(rows):
        StreetChampionFactory(participant=ParticipantFactory(home_ward=ward))
    client.force_login(officer)
    # session, user, groups, the user's areas for the filter, status counts, count,
    # page of champions (with participant and ward)
    with django_assert_num_queries(7):
        response = client.get(reverse("engagement:champion_list"))
    assert response.status_code == 200


def test_attendance_is_taken_on_the_register(client, officer, held_attendance):
    client.force_login(officer)
    response = client.post(
        reverse("engagement:event_attendance", args=[held_attendance.event_id]),
        {
            "action": "register",
            f"attended-{held_attendance.pk}": "on",
            f"hours-{held_attendance.pk}": "1.5",
        },
    )
    assert response.status_code == 302
    held_attendance.refresh_from_db()
    assert held_attendance.status == "attended"
    assert str(held_attendance.hours) == "1.50"


def test_a_register_with_bad_hours_is_shown_again_as_ticked_and_saves_nothing(
    client, officer, ward, held_attendance
):
    """One bad hours box refuses the register (400) with the box named in the error
    summary, and every other tick and box comes back as the officer left them."""
    # given
    other = AttendanceFactory(
        event=held_attendance.event, participant__full_name="Sam Ray", participant__home_ward=ward
    )
    client.force_login(officer)
    url = reverse("engagement:event_attendance", args=[held_attendance.event_id])
    # when
    response = client.post(
        url,
        {
            "action": "register",
            f"attended-{held_attendance.pk}": "on",
            f"hours-{held_attendance.pk}": "1.5",
            f"attended-{other.pk}": "on",
            f"hours-{other.pk}": "two",
        },
    )
    # then
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in html
    message = "Hours given by Sam Ray must be a number from 0 to 24, like 2.5"
    assert f'<a href="#hours-{other.pk}">{message}</a>' in html
    assert f'id="hours-{other.pk}-error"' in html
    assert f'name="hours-{other.pk}" type="text" inputmode="decimal" value="two"' in html
    assert f'name="hours-{held_attendance.pk}" type="text" inputmode="decimal" value="1.5"' in html
    assert f'name="attended-{held_attendance.pk}" type="checkbox" checked' in html
    assert f'name="attended-{other.pk}" type="checkbox" checked' in html
    for attendance in (held_attendance, other):
        attendance.refresh_from_db()
        assert (attendance.status, attendance.hours) == ("registered", None)


@pytest.mark.parametrize("hours", ["-1", "24.01", "NaN", "Infinity", "1e400", "2,5"])
def test_a_register_refuses_hours_that_are_not_0_to_24(client, officer, held_attendance, hours):
    client.force_login(officer)
    response = client.post(
        reverse("engagement:event_attendance", args=[held_attendance.event_id]),
        {
            "action": "register",
            f"attended-{held_attendance.pk}": "on",
            f"hours-{held_attendance.pk}": hours,
        },
    )
    assert response.status_code == 400
    assert b"must be a number from 0 to 24" in response.content
    held_attendance.refresh_from_db()
    assert held_attendance.status == "registered"


def test_a_download_in_a_format_not_offered_is_not_found(client, resident, resident_participant):
    client.force_login(resident)
    assert client.get("/my/data.pdf").status_code == 404
    assert client.get("/my/data.csv").status_code == 200


def test_the_delete_my_account_button_is_a_warning_button(client, resident, resident_participant):
    client.force_login(resident)
    html = client.get(reverse("engagement:my_delete")).content.decode()
    assert 'class="govuk-button govuk-button--warning"' in html


def test_resident_downloads_and_deletes_their_data(client, resident, resident_participant):
    # given
    client.force_login(resident)
    # when
    as_json = client.get(reverse("engagement:my_data_download", args=["json"]))
    as_csv = client.get(reverse("engagement:my_data_download", args=["csv"]))
    deleted = client.post(reverse("engagement:my_delete"), {"confirm": "on"})
    # then
    assert as_json.json()["engagement.participant"][0]["email"] == resident.email
    assert resident.email in b"".join(as_csv.streaming_content).decode()
    assert deleted.url == reverse("home")
    resident_participant.refresh_from_db()
    resident.refresh_from_db()
    assert resident_participant.erased_at is not None
    assert not resident.is_active


def test_officer_erases_a_resident_on_request_and_it_is_audited(client, officer, ward_participant):
    client.force_login(officer)
    client.post(
        reverse("engagement:participant_erase", args=[ward_participant.pk]), {"confirm": "on"}
    )
    ward_participant.refresh_from_db()
    assert ward_participant.erased_at is not None
    assert AuditEvent.objects.filter(actor=officer, action="engagement.participant.erase").exists()


def test_officer_edit_with_a_stale_version_is_refused(client, officer, ward_participant):
    client.force_login(officer)
    response = client.post(
        reverse("engagement:participant_edit", args=[ward_participant.pk]),
        {"full_name": "New", "participation_level": "informed", "version": 99},
    )
    assert response.status_code == 409
    assert b"Someone else changed" in response.content


def test_resident_sees_only_their_own_equality_answers(client, resident, resident_participant):
    client.force_login(resident)
    client.post(reverse("engagement:my_equality"), {"religion": "buddhist"})
    page = client.get(reverse("engagement:my_equality"))
    assert b'value="buddhist" selected' in page.content
    assert (
        EqualityResponse.objects.get(pseudonym=resident_participant.pseudonym).religion
        == "buddhist"
    )


def test_public_registration_then_duplicate_registration(client, ward_event):
    data = {"full_name": "Ann", "email": "ann@example.org"}
    url = reverse("engagement:event_register", args=[ward_event.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert ward_event.attendances.count() == 1


def test_resident_gives_up_their_place_so_someone_else_can_have_it(
    client, resident, resident_participant, ward
):
    # given the last place of a full event is the resident's
    event = EventFactory(area=ward, capacity=1)
    AttendanceFactory(event=event, participant=resident_participant)
    client.force_login(resident)
    page = client.get(reverse("engagement:event_detail_public", args=[event.pk])).content
    assert b"Give up my place" in page
    # when
    response = client.post(reverse("engagement:event_give_up_place", args=[event.pk]))
    # then
    assert response.url == reverse("engagement:event_detail_public", args=[event.pk])
    page = client.get(response.url).content.decode()
    assert "You have given up your place" in page
    assert "Register for this event" in page
    assert event.attendances.get().status == "cancelled"
    # and a second click changes nothing
    client.post(reverse("engagement:event_give_up_place", args=[event.pk]))
    assert event.attendances.get().status == "cancelled"


def test_registering_tells_a_resident_signed_in_to_give_up_their_place_themselves(
    client, resident, resident_participant, ward
):
    """Someone signed in has a Give up my place button on the event's page: the page
    after registering and the email say so, not to find an organiser; someone without
    an account still has to tell the organiser."""
    # given
    event = EventFactory(area=ward)
    url = reverse("engagement:event_register", args=[event.pk])
    client.force_login(resident)
    mail.outbox.clear()
    # when
    mine = client.post(
        url, {"full_name": resident.full_name, "email": resident.email}, follow=True
    ).content.decode()
    # then
    assert "choose <strong>Give up my place</strong> on the event's page" in mine
    assert "tell the organiser" not in mine
    assert "sign in, open the event's page and choose Give up my place," in mail.outbox[0].body
    assert "tell the organiser" not in mail.outbox[0].body
    # and when a visitor without an account registers
    client.logout()
    mail.outbox.clear()
    theirs = client.post(
        url, {"full_name": "Ann Visitor", "email": "ann@example.org"}, follow=True
    ).content.decode()
    # then
    assert "tell the organiser" in theirs
    assert "Give up my place" not in theirs
    assert "tell the organiser" in mail.outbox[0].body


def test_a_place_at_an_event_that_has_started_cannot_be_given_up(
    client, resident, resident_participant, ward
):
    # given
    starts = datetime.now(UTC) - timedelta(minutes=30)
    event = EventFactory(area=ward, starts_at=starts, ends_at=starts + timedelta(hours=2))
    AttendanceFactory(event=event, participant=resident_participant)
    client.force_login(resident)
    assert b"Give up my place" not in (
        client.get(reverse("engagement:event_detail_public", args=[event.pk])).content
    )
    # when
    response = client.post(reverse("engagement:event_give_up_place", args=[event.pk]))
    # then
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in html
    assert "The event has started" in html
    assert event.attendances.get().status == "registered"


def test_an_officer_cannot_cancel_an_event_that_has_been_held(client, officer, held_attendance):
    # given the litter pick held yesterday, with someone ticked as having come
    event = held_attendance.event
    url = reverse("engagement:event_attendance", args=[event.pk])
    client.force_login(officer)
    client.post(url, {"action": "register", f"attended-{held_attendance.pk}": "on"})
    page = client.get(url).content.decode()
    assert "Cancel the event" not in page
    assert "it can no longer be cancelled" in page
    # when a page opened before the event posts its Cancel button
    response = client.post(url, {"action": "cancel"})
    # then
    html = response.content.decode()
    when = f"{timezone.localtime(event.starts_at):%A %-d %B %Y}"
    assert response.status_code == 400
    assert "<title>Error: " in html
    assert f'<a href="#cancel">This event started on {when}, ' in html
    assert 'id="cancel"' in html
    event.refresh_from_db()
    assert event.status == "completed"
    assert event.attendances.get().status == "attended"


def test_an_officer_cancels_an_event_before_it_starts(client, officer, ward_event):
    url = reverse("engagement:event_attendance", args=[ward_event.pk])
    client.force_login(officer)
    assert "Cancel the event" in client.get(url).content.decode()
    response = client.post(url, {"action": "cancel"})
    assert response.status_code == 302
    ward_event.refresh_from_db()
    assert ward_event.status == "cancelled"


def test_inviting_street_champions_emails_the_active_champions_of_the_events_area(
    client, officer, ward_event
):
    """A get-together's invitation goes to each active champion in the event's area with an
    email address; an event with no description leaves no gap in the email."""
    from tests.communities.factories import WardFactory

    # given
    for name, status in [("Ann", "active"), ("Bob", "paused"), ("Cy", "ended")]:
        StreetChampionFactory(
            status=status,
            participant__home_ward=ward_event.area,
            participant__full_name=name,
            participant__email=f"{name.lower()}@example.org",
        )
    StreetChampionFactory(
        participant__home_ward=WardFactory(name="Riverside"),
        participant__email="elsewhere@example.org",
    )
    StreetChampionFactory(
        participant__home_ward=ward_event.area, participant__full_name="Dee", participant__email=""
    )
    ward_event.description = ""
    ward_event.save()
    url = reverse("engagement:event_attendance", args=[ward_event.pk])
    client.force_login(officer)
    mail.outbox.clear()
    # when
    page = client.post(url, {"action": "invite"}, follow=True).content.decode()
    # then
    assert (
        "Invitations are being emailed to 1 street champion. "
        "No email address for Dee: tell them another way."
    ) in page
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]
    body = mail.outbox[0].body
    assert "Hello Ann," in body
    assert "you are invited to Town Centre litter pick" in body
    assert "\n\n\n" not in body
    # and with no champion to invite, the officer is told so
    StreetChampion.objects.update(status="paused")
    page = client.post(url, {"action": "invite"}, follow=True).content.decode()
    assert "There is no active street champion in the event&#x27;s area to invite." in page


def test_cancelling_an_event_emails_everyone_with_a_place_and_names_who_has_no_email(
    client, officer, ward_event
):
    # given two places, one without an email address, and a place given up
    AttendanceFactory(
        event=ward_event,
        participant=ParticipantFactory(full_name="Olive Walker", email="olive@example.org"),
    )
    AttendanceFactory(
        event=ward_event, participant=ParticipantFactory(full_name="Tom Birchall", email="")
    )
    AttendanceFactory(
        event=ward_event,
        status=Attendance.Status.CANCELLED,
        participant=ParticipantFactory(email="gave.up@example.org"),
    )
    url = reverse("engagement:event_attendance", args=[ward_event.pk])
    client.force_login(officer)
    mail.outbox.clear()
    # when
    cancelled = client.post(url, {"action": "cancel"}, follow=True).content.decode()
    # then
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["olive@example.org"], "Cancelled: Town Centre litter pick")
    ]
    assert "Hello Olive Walker" in mail.outbox[0].body
    assert "has been cancelled" in mail.outbox[0].body
    assert "1 person with a place is being emailed that it is cancelled." in cancelled
    assert "No email address for Tom Birchall: tell them another way." in cancelled
    # when it goes ahead after all
    mail.outbox.clear()
    reinstated = client.post(url, {"action": "reinstate"}, follow=True).content.decode()
    # then
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["olive@example.org"], "Going ahead after all: Town Centre litter pick")
    ]
    assert "being emailed that it is going ahead" in reinstated


def test_a_cancellation_notice_is_not_sent_once_the_event_is_back_on(ward_event):
    from engagement.tasks import event_status_notice_place_send_task, event_status_notice_send_task

    # given a place, and an event cancelled and reinstated before the notice went
    place = AttendanceFactory(
        event=ward_event, participant=ParticipantFactory(email="a@example.org")
    )
    mail.outbox.clear()
    # when: the notice is sent, or its one email is retried after the event is back on
    event_status_notice_send_task.delay(ward_event.pk, "cancelled")
    event_status_notice_place_send_task.delay(place.pk, "cancelled")
    # then
    assert mail.outbox == []


def test_a_mail_server_failing_part_way_through_a_cancellation_tells_no_one_twice(
    ward_event, monkeypatch
):
    """Each person's email is its own task: the one that failed is retried (the worker
    retries a task that raised OSError), not the whole list, so those already told are not
    told again."""
    from django.core.mail import EmailMessage

    from engagement import tasks

    # given three places at a cancelled event, and a mail server that fails once
    places = [
        AttendanceFactory(
            event=ward_event, participant=ParticipantFactory(email=f"{name}@example.org")
        )
        for name in ["a", "b", "c"]
    ]
    ward_event.status = "cancelled"
    ward_event.save()
    mail.outbox.clear()
    queued = []
    monkeypatch.setattr(
        tasks.event_status_notice_place_send_task, "delay", lambda *args: queued.append(args)
    )
    send, failed = EmailMessage.send, []

    def flaky_send(message, *args, **kwargs):
        if message.to == ["b@example.org"] and not failed:
            failed.append(message.to)
            raise OSError("Connection reset by the mail server")
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", flaky_send)
    # when
    tasks.event_status_notice_send_task(ward_event.pk, "cancelled")
    # then one email task is queued per place
    assert queued == [(place.pk, "cancelled") for place in places]
    # when the worker runs them, the second failing once and so retried
    for attendance_id, status in queued:
        try:
            tasks.event_status_notice_place_send_task(attendance_id, status)
        except OSError:
            tasks.event_status_notice_place_send_task(attendance_id, status)
    # then
    assert failed == [["b@example.org"]]
    assert [m.to for m in mail.outbox] == [
        ["a@example.org"],
        ["b@example.org"],
        ["c@example.org"],
    ]


def test_the_give_up_button_is_offered_by_the_rule_the_service_keeps(
    client, resident, resident_participant, ward, monkeypatch, django_assert_num_queries
):
    # given a place at next week's event, and the rule saying it cannot be given up
    event = EventFactory(area=ward)
    AttendanceFactory(event=event, participant=resident_participant)
    client.force_login(resident)
    url = reverse("engagement:event_detail_public", args=[event.pk])
    client.get(url)
    with django_assert_num_queries(6):  # the place's rule reads the event already loaded
        assert b"Give up my place" in client.get(url).content
    monkeypatch.setattr(Attendance, "can_be_given_up", property(lambda attendance: False))
    # when
    page = client.get(url).content
    response = client.post(reverse("engagement:event_give_up_place", args=[event.pk]))
    # then the page does not offer what the service refuses
    assert b"Give up my place" not in page
    assert response.status_code == 400
    assert event.attendances.get().status == "registered"


def test_check_in_is_offered_while_it_is_open_until_the_person_has_checked_in(
    client, resident, resident_participant, ward
):
    # given an event under way, and a cancelled one that would have been
    now = timezone.now()
    event = EventFactory(area=ward, starts_at=now - timedelta(minutes=10))
    cancelled = EventFactory(area=ward, starts_at=now - timedelta(minutes=10), status="cancelled")
    client.force_login(resident)
    offer = b"Check in with the code from the organiser"
    # when / then
    assert offer in client.get(reverse("engagement:event_detail_public", args=[event.pk])).content
    assert (
        offer
        not in client.get(reverse("engagement:event_detail_public", args=[cancelled.pk])).content
    )
    checked_in = client.post(
        reverse("engagement:event_check_in", args=[event.pk]), {"code": "park26"}
    )
    assert checked_in.status_code == 302
    page = client.get(reverse("engagement:event_detail_public", args=[event.pk])).content
    assert offer not in page
    assert b"you came: thank you" in page
    refused = client.post(
        reverse("engagement:event_check_in", args=[cancelled.pk]), {"code": "park26"}
    )
    assert refused.status_code == 400
    assert b"This event was cancelled" in refused.content


def test_a_finished_event_says_so_and_its_register_form_does_not_open(client, ward):
    # given an event that ended yesterday
    starts = datetime.now(UTC) - timedelta(days=1)
    event = EventFactory(area=ward, starts_at=starts, ends_at=starts + timedelta(hours=2))
    detail = reverse("engagement:event_detail_public", args=[event.pk])
    # when
    page = client.get(detail).content.decode()
    response = client.get(reverse("engagement:event_register", args=[event.pk]))
    # then
    assert "This event has finished." in page
    assert "Register for this event" not in page
    assert response.status_code == 302
    assert response.url == detail
    assert f"{event.title} is not taking registrations." in client.get(detail).content.decode()


def test_feedback_before_the_event_is_refused(client, ward_event):
    response = client.post(
        reverse("engagement:event_feedback", args=[ward_event.pk]),
        {"rating": 5, "submission_key": str(uuid.uuid4())},
    )
    assert response.status_code == 400
    assert b"Error: " in response.content


def test_an_events_times_read_as_govuk_writes_them(client, ward):
    """9:30am to midday, in the council's time zone (British Summer Time here)."""
    # given
    starts = datetime(2027, 7, 3, 8, 30, tzinfo=UTC)
    event = EventFactory(
        area=ward, starts_at=starts, ends_at=starts + timedelta(hours=2, minutes=30)
    )
    # when
    content = client.get(reverse("engagement:event_detail_public", args=[event.pk])).content
    # then
    assert "Saturday 3 July 2027, 9:30am to midday" in content.decode()


def test_a_refused_champion_step_shows_the_champion_again_with_why(client, officer, ward):
    # given: a champion already ended
    champion = StreetChampionFactory(
        participant=ParticipantFactory(home_ward=ward), status="ended"
    )
    client.force_login(officer)
    url = reverse("engagement:champion_detail", args=[champion.pk])
    # when
    response = client.post(url, {"action": "pause"})
    nul = client.post(url, {"action": "approve", "reason": "a\x00b"})
    # then
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in html
    assert (
        '<li><a href="#champion-actions">A champion who is “ended” cannot be paused.</a>' in html
    )
    assert nul.status_code == 400
    assert b'<a href="#champion-actions">The reason holds a NUL character' in nul.content
    champion.refresh_from_db()
    assert champion.status == "ended"


def test_a_refused_bulk_update_keeps_the_page_and_its_links_lead_to_the_queue(
    client, officer, ward, monkeypatch
):
    """Answered at the bulk address: the filters and page links must still lead to the
    queue (the bulk address answers only POST), and a report ticked on page 2 is shown
    ticked on page 2."""
    # given
    monkeypatch.setattr("engagement.views.PAGE_SIZE", 1)
    reports = [IssueReportFactory(reporter=ParticipantFactory(home_ward=ward)) for _ in "ab"]
    client.force_login(officer)
    page_two = client.get(reverse("engagement:report_queue"), {"page": 2})
    on_page_two = next(r for r in reports if f'id="select-{r.pk}"' in page_two.content.decode())
    queue_url = reverse("engagement:report_queue")
    # when
    response = client.post(
        reverse("engagement:report_bulk"),
        {"reports": [on_page_two.pk], "state": "", "query": "", "page": "2"},
    )
    # then
    html = response.content.decode()
    assert response.status_code == 400
    assert f'value="{on_page_two.pk}" checked>' in html
    assert f'<form method="get" action="{queue_url}"' in html
    assert f'href="{queue_url}?page=1"' in html


@pytest.mark.parametrize(
    ("status", "anchor"), [("active", "end-reason"), ("ended", "champion-actions")]
)
def test_a_reason_with_a_nul_links_to_an_element_on_the_champions_page(
    client, officer, ward, status, anchor
):
    """An ended champion's page has no reason box: the summary links to the actions."""
    champion = StreetChampionFactory(participant=ParticipantFactory(home_ward=ward), status=status)
    client.force_login(officer)
    response = client.post(
        reverse("engagement:champion_detail", args=[champion.pk]),
        {"action": "end", "reason": "a\x00b"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert f'<a href="#{anchor}">The reason holds a NUL character' in html
    assert f'id="{anchor}"' in html


def test_a_register_before_the_events_day_offers_no_ticks_and_is_refused(
    client, officer, ward_attendance
):
    """Before its day an event's register lists who registered, says when attendance can
    be recorded and offers no ticks, save or walk-in; a register posted from a stale page
    is refused (400) with the date, and nothing is written."""
    # given: the litter pick is a week away
    client.force_login(officer)
    url = reverse("engagement:event_attendance", args=[ward_attendance.event_id])
    day = f"{timezone.localtime(ward_attendance.event.starts_at):%-d %B %Y}"
    # when
    html = client.get(url).content.decode()
    # then
    assert "Jo Bloggs" in html
    assert "record who came, and add anyone who came without registering, on the day" in html
    assert f'name="attended-{ward_attendance.pk}"' not in html
    assert "Save attendance" not in html
    assert 'value="walk_in"' not in html
    for post in (
        {"action": "register", f"attended-{ward_attendance.pk}": "on"},
        {"action": "walk_in", "full_name": "Ann Lee"},
    ):
        # when
        response = client.post(url, post)
        # then
        page = response.content.decode()
        assert response.status_code == 400
        assert "<title>Error: " in page
        message = f"This event is on {day}: record who came on the day or after."
        assert f'<a href="#register">{message}</a>' in page
    ward_attendance.refresh_from_db()
    assert ward_attendance.status == "registered"
    assert not ParticipationRecord.objects.exists()


def test_a_register_on_the_events_day_offers_ticks_and_walk_ins(client, officer, held_attendance):
    client.force_login(officer)
    html = client.get(
        reverse("engagement:event_attendance", args=[held_attendance.event_id])
    ).content.decode()
    assert f'name="attended-{held_attendance.pk}"' in html
    assert "Save attendance" in html
    assert 'value="walk_in"' in html
    assert "on the day or after" not in html


def test_a_champion_phone_number_that_is_not_one_is_asked_for_again(client):
    # when
    response = client.post(
        reverse("engagement:champion_step", args=["contact"]),
        {**SIGNUP["contact"], "phone": "abc"},
    )
    # then: the page again, with the error and what was typed
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192" in html
    )
    assert 'value="abc"' in html


def test_choosing_to_be_contacted_by_phone_asks_for_the_phone_number(client):
    # when: phone chosen as a way to contact them, but no number given
    response = client.post(
        reverse("engagement:champion_step", args=["contact"]),
        {**SIGNUP["contact"], "phone": "", "preferred_channels": ["phone"]},
    )
    # then
    assert response.status_code == 400
    assert "Enter a phone number to be contacted by phone" in response.content.decode()


ADDRESS = {"address_line_1": "12 Elm Road", "address_line_2": "", "address_town": "Newfield"}


def test_choosing_to_be_contacted_by_post_asks_for_the_address_and_keeps_it(client, ward):
    """Post is how someone without the internet hears from the council: a sign-up that
    chooses it gives the address, and the participant keeps it."""
    # given
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    contact = reverse("engagement:champion_step", args=["contact"])
    by_post = {**SIGNUP["contact"], "preferred_channels": ["post"]}
    # when: post chosen without an address
    asked = client.post(contact, by_post)
    # then
    html = asked.content.decode()
    assert asked.status_code == 400
    assert "Enter the first line of the address to be contacted by post" in html
    assert "Enter the town or city to be contacted by post" in html
    assert 'autocomplete="address-line1"' in html
    # and when the address is given and the sign-up finished
    by_post_signup = {**SIGNUP, "contact": {**by_post, **ADDRESS}}
    for step, data in by_post_signup.items():
        response = client.post(reverse("engagement:champion_step", args=[step]), data)
        assert response.status_code == 302, step
    check = client.get(reverse("engagement:champion_check")).content.decode()
    client.post(reverse("engagement:champion_check"))
    # then
    assert "12 Elm Road<br>Newfield" in check
    person = StreetChampion.objects.get().participant
    assert person.postal_address == ["12 Elm Road", "Newfield", "NF1 1AB"]


def test_an_address_is_not_asked_for_without_post(client):
    response = client.post(
        reverse("engagement:champion_step", args=["contact"]), SIGNUP["contact"]
    )
    assert response.status_code == 302


def test_details_by_post_need_the_address_and_postcode_and_officers_see_it(
    client, officer, ward, ward_participant
):
    # given
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    client.force_login(officer)
    url = reverse("engagement:participant_edit", args=[ward_participant.pk])
    details = {
        "full_name": ward_participant.full_name,
        "email": ward_participant.email,
        "participation_level": "informed",
        "preferred_channels": ["post"],
        "postcode": "",
        "version": ward_participant.version,
    }
    # when
    asked = client.post(url, details)
    saved = client.post(url, {**details, **ADDRESS, "postcode": "NF1 1AB"})
    # then
    assert asked.status_code == 400
    assert "Enter the postcode to be contacted by post" in asked.content.decode()
    assert saved.status_code == 302
    ward_participant.refresh_from_db()
    assert ward_participant.address_lines == ["12 Elm Road", "Newfield"]
    page = client.get(reverse("engagement:participant_detail", args=[ward_participant.pk]))
    assert "12 Elm Road<br>Newfield<br>NF1 1AB" in page.content.decode()
    event = AuditEvent.objects.get(action="engagement.participant.update")
    assert {"address_line_1", "address_town", "postcode"} <= set(event.fields)


def test_the_error_summary_lists_the_contact_answers_in_the_pages_order(
    client, resident, resident_participant
):
    """The phone number is asked before the postal address, so its error comes first in
    the summary too, and the summary's own first link is the first question."""
    # given
    client.force_login(resident)
    details = {
        "full_name": resident_participant.full_name,
        "email": resident_participant.email,
        "participation_level": "informed",
        "preferred_channels": ["phone", "post"],
        "postcode": "",
        "version": resident_participant.version,
    }
    # when: phone and post chosen with neither a number nor an address
    response = client.post(reverse("engagement:my_details_edit"), details)
    # then
    assert response.status_code == 400
    page = response.content.decode()
    summary = page.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    links = [part.split('"')[0] for part in summary.split('<a href="#')[1:]]
    assert links == ["id_phone", "id_postcode", "id_address_line_1", "id_address_town"]
    assert response.context["form"].visible_fields()[0].name == "full_name"


def test_the_champions_newsletter_list_gives_the_address_to_post_it_to(client, officer, ward):
    # given
    StreetChampionFactory(
        participant=ParticipantFactory(
            home_ward=ward, preferred_channels=["post"], postcode="NF1 1AB", **ADDRESS
        ),
        wants_newsletter=True,
    )
    client.force_login(officer)
    # when
    response = client.get(reverse("engagement:champion_newsletter_csv"))
    # then
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("name,email,phone,address,postcode")
    assert '"12 Elm Road, Newfield",NF1 1AB' in lines[1]


def test_a_residents_address_is_in_their_download_and_gone_when_they_delete(
    client, resident, resident_participant
):
    # given
    resident_participant.preferred_channels = ["post"]
    resident_participant.address_line_1 = "12 Elm Road"
    resident_participant.address_town = "Newfield"
    resident_participant.postcode = "NF1 1AB"
    resident_participant.save()
    client.force_login(resident)
    # when
    page = client.get(reverse("engagement:my_page")).content.decode()
    as_json = client.get(reverse("engagement:my_data_download", args=["json"])).json()
    client.post(reverse("engagement:my_delete"), {"confirm": "on"})
    # then
    assert "12 Elm Road<br>Newfield<br>NF1 1AB" in page
    held = as_json["engagement.participant"][0]
    assert (held["address_line_1"], held["address_town"]) == ("12 Elm Road", "Newfield")
    resident_participant.refresh_from_db()
    assert resident_participant.postal_address == []
    assert resident_participant.address_town == ""


def test_a_details_change_asks_for_the_number_only_when_phone_contact_is_chosen_without_one(
    client, resident, resident_participant
):
    # given: a record kept from before, contact by phone with no number
    resident_participant.preferred_channels = ["phone"]
    resident_participant.phone = ""
    resident_participant.save()
    resident_participant.refresh_from_db()
    client.force_login(resident)
    url = reverse("engagement:my_details_edit")
    details = {
        "full_name": resident_participant.full_name,
        "email": resident_participant.email,
        "participation_level": "informed",
        "version": resident_participant.version,
    }
    # when: phone chosen anew, with no number
    asked = client.post(url, {**details, "preferred_channels": ["phone", "email"]})
    # then
    assert asked.status_code == 400
    assert "Enter a phone number to be contacted by phone" in asked.content.decode()
    # and a change that leaves the ways to contact them alone is saved
    saved = client.post(url, {**details, "preferred_channels": ["phone"]})
    assert saved.status_code == 302
