"""The report pages: requesting, progress, the report, downloads, publishing, targets."""

import csv
import io
from datetime import date

import jsonschema
import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from engagement.inclusion.models import Report, ScopeKind, Target
from engagement.inclusion.schema import report_schema
from engagement.inclusion.services import report_generate
from engagement.inclusion.views import _dimension_chart
from governance.models import AuditEvent
from tests.communities.factories import DeprivationScoreFactory, LsoaFactory
from tests.engagement.inclusion.factories import (
    ReportFactory,
    TargetFactory,
    census_table,
    person_with,
)


def test_officer_requests_a_report_and_is_sent_to_its_page(client, officer, aap, on_commit_now):
    # given
    client.force_login(officer)
    # when
    response = client.post(
        reverse("inclusion:report_request"),
        {"scope": f"area:{aap.pk}", "start": "2026-01", "end": "2026-06", "minimum_age": 16},
    )
    # then: the job ran in-process (no broker in tests), so the report is ready
    report = Report.objects.get()
    assert response.status_code == 302
    assert response.url == report.get_absolute_url()
    assert (report.period_start, report.period_end) == (date(2026, 1, 1), date(2026, 6, 30))
    assert report.requested_by == officer
    assert report.generated_at is not None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"scope": "", "start": "2026-01", "end": "2026-06", "minimum_age": 16},
            "scope",
            "Choose what the report is about.",
        ),
        (
            {"scope": "area:999999", "start": "2026-01", "end": "2026-06", "minimum_age": 16},
            "scope",
            "Choose what the report is about from the list: it holds only what is in your areas.",
        ),
        (
            {"scope": "programme", "start": "2026-01", "end": "2026-06", "minimum_age": 16},
            "scope",
            "Choose what the report is about from the list: it holds only what is in your areas.",
        ),
        (
            {"scope": "AREA", "start": "2026-06", "end": "2026-01", "minimum_age": 16},
            "end",
            "The last month must be the same as or after the first.",
        ),
        (
            {"scope": "AREA", "start": "2026-01", "end": "2026-06", "minimum_age": 130},
            "minimum_age",
            "Enter the youngest age counted as a whole number from 0 to 100.",
        ),
        (
            {"scope": "AREA", "start": "2026-01", "end": "2026-06", "minimum_age": "x"},
            "minimum_age",
            "Enter the youngest age counted as a whole number from 0 to 100.",
        ),
        (
            {"scope": "AREA", "start": "1999-01", "end": "2026-06", "minimum_age": 16},
            "start",
            "Choose the first month from the list.",
        ),
        (
            {"scope": "AREA", "start": "2026-01", "minimum_age": 16},
            "end",
            "Choose the last month.",
        ),
    ],
)
def test_bad_requests_show_errors_and_save_nothing(client, officer, aap, data, field, message):
    # given: the officer covers one area, not the council (so no programme report)
    client.force_login(officer)
    if data["scope"] == "AREA":
        data = {**data, "scope": f"area:{aap.pk}"}
    # when
    response = client.post(reverse("inclusion:report_request"), data)
    # then
    assert response.status_code == 400
    content = response.content.decode()
    assert "<title>Error: " in content
    assert "govuk-error-summary" in content
    assert response.context["form"].errors[field] == [message]
    assert not Report.objects.exists()


def test_queued_report_shows_progress_that_updates_without_reload(
    client, officer, aap, monkeypatch
):
    # given: requested while the broker is down (the page's retry to send it fails too)
    report = ReportFactory(obj=aap, requested_by=officer)
    monkeypatch.setattr("engagement.inclusion.views.job_dispatch", lambda **kwargs: False)
    client.force_login(officer)
    # when
    page = client.get(report.get_absolute_url())
    status = client.get(reverse("inclusion:report_status", args=[report.pk]))
    # then: a progress bar with the script that polls, and a refresh without JavaScript
    content = page.content.decode()
    assert 'data-module="app-job-progress"' in content
    # (to the report's own address: the page may be shown at another, as a refusal's)
    assert f'<meta http-equiv="refresh" content="3; url={report.get_absolute_url()}">' in content
    assert "Queued" in content
    assert "the worker cannot be reached just now" in content
    assert status.json()["status"] == "queued"
    assert status.json()["finished"] is False


def test_a_dimension_chart_shows_the_hidden_groups_together_so_the_gap_is_not_left_out():
    """Young people are the ones small enough to be hidden: a chart of the shown groups
    alone would show only the older ones, over-represented, and leave out the half of
    residents the page says are missing."""

    def row(label, count, share, census_share):
        hidden = count is None
        return {
            "code": label.replace(" to ", "_").replace(" and over", "_plus"),
            "label": label,
            "level": "category",
            "suppressed": hidden,
            "count": count,
            "share": share,
            "census_share": census_share,
        }

    dim = {
        "code": "age",
        "label": "Age",
        "groups": [
            row("16 to 24", None, None, 0.1402),
            row("25 to 34", None, None, 0.1478),
            row("35 to 49", None, None, 0.2259),
            row("50 to 64", 16, 0.1778, 0.224),
            row("65 to 74", 25, 0.2778, 0.1106),
            row("75 and over", 34, 0.3778, 0.1515),
        ],
        "pooled": [
            {
                "codes": ["16_24", "25_34", "35_49"],
                "label": "16 to 24, 25 to 34 and 35 to 49 together",
                "count": 15,
                "count_below": None,
                "expected": 46.25,
                "census_share": 0.5139,
                "ratio": 0.3243,
            }
        ],
    }
    chart = _dimension_chart(dim)
    assert [bar.label for bar in chart.bars] == [
        "16 to 24, 25 to 34 and 35 to 49 together",
        "50 to 64",
        "65 to 74",
        "75 and over",
    ]
    # 15 of the 90 who answered (16.7%) against 51.4% of residents
    assert chart.bars[0].display == "16.7%"
    assert chart.bars[0].reference_display == "51.4%"


def test_a_report_with_no_earlier_one_to_compare_with_does_not_call_itself_the_first(
    client, officer, aap, aap_report
):
    """A second report on the same months has nothing to be compared with, but the list
    shows the first: calling it "the first report" would tell the officer otherwise."""
    again = report_generate(
        report_id=ReportFactory(
            scope_kind=ScopeKind.AREA,
            obj=aap,
            requested_by=officer,
            start=date(2026, 1, 1),
            end=date(2026, 6, 30),
        ).pk
    )
    client.force_login(officer)
    content = client.get(again.get_absolute_url()).content.decode()
    assert "This is the first report" not in content
    assert f"There is no earlier report on {aap.name} to compare this one with" in content


def test_finished_report_page_shows_every_section_and_records_the_read(
    client, officer, aap_report
):
    client.force_login(officer)
    response = client.get(aap_report.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    for heading in (
        "Who is missing",
        "Who took part",
        "Where participants live",
        "Deprivation reach",
        "The usual suspects",
        "Ladder and mix",
        "Change since the last report",
    ):
        assert heading in content
    # the charts come with their tables
    assert content.count("<svg") == content.count("app-chart__table")
    # 6 women of 12 against 52% of residents: the interval is wide, so no finding (not
    # "in line", which the figures cannot show)
    female = next(
        g
        for d in aap_report.results["dimensions"]
        if d["code"] == "sex"
        for g in d["groups"]
        if g["code"] == "female"
    )
    assert female["flag"] == "in_line"
    assert female["ratio_low"] < 0.8
    assert "No clear gap" in content
    assert "In line" not in content
    event = AuditEvent.objects.get(action="inclusion.report.read")
    assert event.actor == officer
    assert event.object_id == str(aap_report.pk)


def test_deprivation_reach_says_how_many_participants_it_counts(client, officer, aap, ward):
    # given: 4 participants in a scored neighbourhood, 3 whose neighbourhood is unknown
    lsoa = LsoaFactory(parent=ward)
    DeprivationScoreFactory(lsoa=lsoa, decile=1)
    census_table(lsoa, "TS007", {f"y{age}": 10 for age in range(16, 76)})
    for _ in range(4):
        person_with(ward=ward, lsoa=lsoa)
    for _ in range(3):
        person_with(ward=ward)
    report = ReportFactory(obj=aap, requested_by=officer)
    report = report_generate(report_id=report.pk)
    client.force_login(officer)
    # when
    page = client.get(report.get_absolute_url())
    published = client.get(report.get_absolute_url(), {"version": "published"})
    # then
    sentence = "participants who live in the area could be placed in a scored neighbourhood"
    assert f"4 of the 7 {sentence}" in page.content.decode()
    # published: so few are not counted out loud (with one decile, that would be its count)
    assert report.published["deprivation"]["participants_placed"] is None
    assert published.context["mode"] == "published"
    assert "Fewer than 10 of the" in published.content.decode()


def test_places_say_how_many_younger_participants_they_leave_out(client, officer, aap, ward):
    # given: 4 adults and 5 ten-year-olds; a second report before the children came
    for _ in range(4):
        person_with(ward=ward, year_of_birth=1980)
    before = report_generate(report_id=ReportFactory(obj=aap, requested_by=officer).pk)
    for _ in range(5):
        person_with(ward=ward, year_of_birth=2016)
    report = report_generate(report_id=ReportFactory(obj=aap, requested_by=officer).pk)
    client.force_login(officer)
    # when
    page = client.get(report.get_absolute_url()).content.decode()
    page_before = client.get(before.get_absolute_url()).content.decode()
    # then
    assert "4 participants live in the area" in page
    assert "5 participants younger than 16 are left out of these figures" in page
    assert "younger than 16 are left out" not in page_before


def test_a_report_on_a_month_not_yet_over_says_how_far_it_counts(client, officer, aap, ward):
    # given: a report on this month, made today
    today = timezone.localdate()
    report = ReportFactory(obj=aap, requested_by=officer, start=today, end=today)
    report = report_generate(report_id=report.pk)
    client.force_login(officer)
    # when
    page = client.get(report.get_absolute_url()).content.decode()
    download = client.get(reverse("inclusion:report_csv", args=[report.pk]))
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
    # then: the heading, a note and the CSV say it counts what was recorded by today
    assert f"{today:%B %Y}, as at {today:%-d %B}" in page
    assert (
        f"was not over when this report was made on {today:%-d %B %Y}: it counts the "
        "taking part recorded by then." in page
    )
    period = next(r for r in rows if r["code"] == "period")
    assert period["label"] == report.period_label
    assert period["note"].endswith(f"the last month counted as recorded by {today.isoformat()}")


def test_partner_sees_only_the_published_figures(client, partner_user, aap_report):
    client.force_login(partner_user)
    # when: even asking for the staff figures
    page = client.get(aap_report.get_absolute_url())
    download = client.get(reverse("inclusion:report_json", args=[aap_report.pk]))
    # then
    assert page.context["mode"] == "published"
    assert download.json()["mode"] == "published"
    assert not AuditEvent.objects.filter(action__startswith="inclusion.report").exists()


def test_json_download_matches_its_schema_and_the_snapshot(client, officer, aap_report):
    client.force_login(officer)
    response = client.get(reverse("inclusion:report_json", args=[aap_report.pk]))
    data = response.json()
    jsonschema.validate(data, report_schema())
    jsonschema.validate(aap_report.published, report_schema())
    assert data == aap_report.results
    assert response["Content-Disposition"].startswith("attachment;")


def test_schema_is_served(client):
    response = client.get(reverse("inclusion:report_schema"))
    assert response.json()["$id"] == report_schema()["$id"]


def test_csv_download_holds_the_same_figures(client, officer, aap_report):
    client.force_login(officer)
    response = client.get(reverse("inclusion:report_csv", args=[aap_report.pk]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    sex = {
        r["code"]: r for r in rows if r["section"] == "who_took_part" and r["dimension"] == "sex"
    }
    # 12 participants: 6 women, 6 men
    assert sex["female"]["count"] == "6"
    assert float(sex["female"]["share"]) == 0.5


def test_publishing_puts_the_published_figures_on_the_public_pages(client, officer, aap_report):
    client.force_login(officer)
    # when
    client.post(reverse("inclusion:report_publish", args=[aap_report.pk]), {"public": "yes"})
    # then
    client.logout()
    listing = client.get(reverse("inclusion:public_list"))
    page = client.get(reverse("inclusion:public_detail", args=[aap_report.pk]))
    assert aap_report.scope_label in listing.content.decode()
    assert page.context["results"]["mode"] == "published"
    assert AuditEvent.objects.filter(action="inclusion.report.publish").count() == 1


def test_publishing_a_report_not_yet_finished_is_refused_on_its_page(client, officer, aap):
    # given
    report = ReportFactory(obj=aap, requested_by=officer)
    client.force_login(officer)
    # when
    response = client.post(
        reverse("inclusion:report_publish", args=[report.pk]), {"public": "yes"}
    )
    # then
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Who takes part" in html
    assert '<a href="#report-heading">Only a finished report can be published.</a>' in html
    report.refresh_from_db()
    assert not report.is_public
    assert not AuditEvent.objects.filter(action="inclusion.report.publish").exists()


def test_report_list_runs_a_fixed_number_of_queries(
    client, officer, aap, ward, django_assert_num_queries
):
    # given
    for month in range(1, 7):
        ReportFactory(obj=ward, start=date(2026, month, 1), end=date(2026, month, 28))
    client.force_login(officer)
    # session, user, user's groups (roles), user's areas (nav has_perm), the scoped
    # count, the page of reports with their scopes and jobs, has_perm x2 (request,
    # targets) reuse the roles: 1 count + 1 page
    with django_assert_num_queries(6):
        response = client.get(reverse("inclusion:report_list"))
    assert len(response.context["page"]) == 6
    for month in range(7, 11):
        ReportFactory(obj=ward, start=date(2026, month, 1), end=date(2026, month, 28))
    with django_assert_num_queries(6):
        client.get(reverse("inclusion:report_list"))


@pytest.fixture
def council_officer(council):
    """An officer who covers the whole council: programme-wide targets are theirs."""
    from tests.accounts.factories import OfficerFactory

    return OfficerFactory(full_name="Jo Baptiste", areas=[council])


def test_officer_adds_changes_and_removes_a_target(client, council_officer):
    client.force_login(council_officer)
    response = client.post(
        reverse("inclusion:target_create"),
        {"area": "", "group": "age:16_24", "minimum_percent": "10", "maximum_percent": "20"},
    )
    assert response.status_code == 302
    target = Target.objects.get()
    response = client.post(
        reverse("inclusion:target_edit", args=[target.pk]),
        {"minimum_percent": "12", "maximum_percent": "25", "version": target.version},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.minimum_percent, target.maximum_percent) == (12, 25)
    client.post(reverse("inclusion:target_delete", args=[target.pk]))
    assert not Target.objects.exists()
    assert AuditEvent.objects.filter(action__startswith="inclusion.target").count() == 3


@pytest.mark.parametrize(
    "data",
    [
        {"area": "", "group": "age:16_24", "minimum_percent": "30", "maximum_percent": "20"},
        {"area": "", "group": "sex:nonsense", "minimum_percent": "1", "maximum_percent": "2"},
        {"area": "", "group": "sex:female", "minimum_percent": "-1", "maximum_percent": "2"},
        {"area": "999999", "group": "sex:female", "minimum_percent": "1", "maximum_percent": "2"},
    ],
)
def test_bad_targets_are_refused(client, council_officer, data):
    client.force_login(council_officer)
    response = client.post(reverse("inclusion:target_create"), data)
    assert response.status_code == 400
    assert "<title>Error: " in response.content.decode()
    assert not Target.objects.exists()


def test_an_area_officer_sets_targets_for_their_areas_only(client, officer, aap):
    """A programme-wide band applies to every report in the council: an officer who
    covers one area may set one for that area, not for the whole programme."""
    # given
    client.force_login(officer)
    programme = TargetFactory(category="white")
    # when
    create = client.post(
        reverse("inclusion:target_create"),
        {"area": "", "group": "sex:female", "minimum_percent": "40", "maximum_percent": "60"},
    )
    own = client.post(
        reverse("inclusion:target_create"),
        {
            "area": str(aap.pk),
            "group": "sex:female",
            "minimum_percent": "40",
            "maximum_percent": "60",
        },
    )
    edit = client.post(
        reverse("inclusion:target_edit", args=[programme.pk]),
        {"minimum_percent": "0", "maximum_percent": "100", "version": programme.version},
    )
    delete = client.post(reverse("inclusion:target_delete", args=[programme.pk]))
    listing = client.get(reverse("inclusion:target_list")).content.decode()
    # then
    assert create.status_code == 400
    assert "Choose one of your areas." in create.content.decode()
    assert own.status_code == 302
    assert (edit.status_code, delete.status_code) == (403, 403)
    programme.refresh_from_db()
    assert (programme.minimum_percent, programme.maximum_percent) == (5, 20)
    assert set(Target.objects.values_list("area", "category")) == {
        (None, "white"),
        (aap.pk, "female"),
    }
    assert reverse("inclusion:target_edit", args=[programme.pk]) not in listing
    assert not AuditEvent.objects.filter(
        action__startswith="inclusion.target", object_id=str(programme.pk)
    ).exists()


def test_an_edit_without_the_version_it_was_read_at_is_refused(client, officer, aap):
    # given
    target = TargetFactory(area=aap, minimum_percent=10, maximum_percent=20)
    client.force_login(officer)
    # when
    response = client.post(
        reverse("inclusion:target_edit", args=[target.pk]),
        {"minimum_percent": "1", "maximum_percent": "2"},
    )
    # then
    assert response.status_code == 400
    assert "This page is out of date" in response.content.decode()
    target.refresh_from_db()
    assert (target.minimum_percent, target.maximum_percent, target.version) == (10, 20, 1)


def test_an_edit_made_meanwhile_is_not_overwritten(client, officer, aap):
    target = TargetFactory(area=aap)
    client.force_login(officer)
    Target.objects.filter(pk=target.pk).update(version=target.version + 1)
    response = client.post(
        reverse("inclusion:target_edit", args=[target.pk]),
        {"minimum_percent": "1", "maximum_percent": "2", "version": target.version},
    )
    assert response.status_code == 409
    assert "Someone else changed this target" in response.content.decode()


# -- No output tells anyone an individual's answer -----------------------------------------


ANSWERS = ["white_british", "white_irish", "asian_pakistani", "black_african", ""]


class TestOutputsDiscloseNothing(HypothesisTestCase):
    """Adversarial small datasets, through the whole chain: the database, the snapshot
    and every output (page, CSV, JSON for staff and published). A group of 1-4 people is
    never printed as a count, and no output shows everyone giving one answer."""

    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(answers=st.lists(st.sampled_from(ANSWERS), min_size=10, max_size=24))
    def test_outputs(self, answers):
        from django.test import Client

        from tests.accounts.factories import AdministratorFactory
        from tests.communities.factories import WardFactory

        ward = WardFactory()
        census_table(
            ward,
            "TS021",
            {
                "white_british": 700,
                "white_irish": 50,
                "asian_pakistani": 150,
                "black_african": 100,
            },
        )
        for answer in answers:
            person_with(ward=ward, ethnic_group=answer) if answer else person_with(ward=ward)
        report = report_generate(report_id=ReportFactory(scope_kind=ScopeKind.AREA, obj=ward).pk)
        client = Client()
        client.force_login(AdministratorFactory())
        true = {code: answers.count(code) for code in ANSWERS if code}
        n = sum(true.values())
        for mode, results in (("internal", report.results), ("published", report.published)):
            threshold = 5 if mode == "internal" else 10
            suffix = "?version=published" if mode == "published" else ""
            data = client.get(reverse("inclusion:report_json", args=[report.pk]) + suffix).json()
            assert data == results
            page = client.get(report.get_absolute_url() + suffix).content.decode()
            csv_text = b"".join(
                client.get(
                    reverse("inclusion:report_csv", args=[report.pk]) + suffix
                ).streaming_content
            ).decode()
            ethnic = next(d for d in results["dimensions"] if d["code"] == "ethnic_group")
            for row in ethnic["groups"]:
                count = row["count"]
                if count is not None:
                    # whatever is shown is not a small group, and not everyone
                    assert not 0 < count < threshold
                    if mode == "internal":
                        assert not (n > 0 and count == n)
                else:
                    assert row["ratio"] is None
                    assert row["share"] is None
            rows = [
                r
                for r in csv.DictReader(io.StringIO(csv_text))
                if r["section"] == "who_took_part" and r["dimension"] == "ethnic_group"
            ]
            for r in rows:
                if r["count"] not in ("", "suppressed"):
                    assert not 0 < int(r["count"]) < threshold
            assert "[c]" in page or all(g["count"] is not None for g in ethnic["groups"])


def test_target_list_runs_a_fixed_number_of_queries(
    client, officer, aap, django_assert_num_queries
):
    for category in ("asian", "black", "mixed"):
        TargetFactory(category=category)
    client.force_login(officer)
    # session, user, roles, the targets with their areas (the user's areas a subquery),
    # whether the user covers the council (may they change the programme's targets)
    with django_assert_num_queries(5):
        response = client.get(reverse("inclusion:target_list"))
    assert len(response.context["targets"]) == 3
    TargetFactory(category="white", area=aap)
    TargetFactory(category="other", area=aap)
    with django_assert_num_queries(5):
        response = client.get(reverse("inclusion:target_list"))
    assert len(response.context["targets"]) == 5


def test_public_list_runs_a_fixed_number_of_queries(
    client, officer, ward, django_assert_num_queries
):
    from engagement.inclusion.services import report_publish

    for month in (1, 2):
        report = report_generate(
            report_id=ReportFactory(
                obj=ward, start=date(2026, month, 1), end=date(2026, month, 28)
            ).pk
        )
        report_publish(report=report, actor=officer, public=True)
    # the count, the page of reports with their scopes
    with django_assert_num_queries(2):
        response = client.get(reverse("inclusion:public_list"))
    assert len(response.context["page"]) == 2
    for month in (3, 4, 5):
        report = report_generate(
            report_id=ReportFactory(
                obj=ward, start=date(2026, month, 1), end=date(2026, month, 28)
            ).pk
        )
        report_publish(report=report, actor=officer, public=True)
    with django_assert_num_queries(2):
        client.get(reverse("inclusion:public_list"))


@pytest.mark.parametrize(
    ("mode", "href"),
    [
        ("internal", "/communities/assets/6/"),
        ("published", "/communities/map/#asset-6"),
    ],
)
def test_who_could_help_links_to_a_page_its_readers_may_open(db, mode, href):
    """The council's figures link to the asset's page; the published ones, which the
    public reads, to the asset on the public map (the asset's page needs a sign-in)."""
    # given: a "who is missing" line with an organisation that serves the group
    suggestion = {
        "id": 6,
        "name": "Mosque Community Association",
        "kind": "organisation",
        "kind_label": "Organisation",
        "area": "Town Centre",
        "serves": ["Pakistani community"],
        "url": "/communities/assets/6/",
    }
    # when
    html = render_to_string(
        "inclusion/includes/suggestions.html", {"suggestions": [suggestion], "mode": mode}
    )
    # then
    assert f'href="{href}">Mosque Community Association</a>' in html
