"""With Redis down (broker and cache), the site keeps serving: what was asked for is
saved and waits (jobs' outbox) or runs in the process (emails), counters let calls
through, and each such miss is logged."""

import logging
from datetime import date

import pytest
from django.core.cache import caches
from django.urls import reverse
from rest_framework.test import APIClient

from communities.models import Asset
from coproduction.jobs.models import Job
from coproduction.jobs.services import job_create, job_run
from engagement.inclusion.models import ScopeKind
from engagement.inclusion.services import ReportScope, report_request
from tests.api.fixtures import api_for
from tests.engagement.inclusion.factories import census_table, person_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(broker_down, cache_down, caplog, monkeypatch):
    caplog.set_level(logging.WARNING)
    monkeypatch.setattr("coproduction.cache._last_logged", {})
    caches["local"].clear()
    yield caplog
    caches["local"].clear()


def test_a_requested_report_is_shown_as_queued(redis_down, client, officer, ward):
    # given
    census_table(ward, "TS008", {"female": 520, "male": 480})
    person_with(ward=ward, sex="female")
    report = report_request(
        scope=ReportScope(ScopeKind.AREA, ward),
        start=date(2026, 1, 1),
        end=date(2026, 6, 30),
        requested_by=officer,
    )
    client.force_login(officer)
    # when: the page tries to send the job again, and its progress is polled
    page = client.get(report.get_absolute_url())
    status = client.get(reverse("jobs:status", args=[report.job_id]))
    # then
    assert page.status_code == 200
    assert "Queued" in page.content.decode()
    assert status.status_code == 200
    assert status.json()["status"] == Job.Status.QUEUED
    assert Job.objects.get(pk=report.job_id).enqueued_at is None
    assert "cache unreachable" in redis_down.text


def test_a_job_runs_to_the_end_without_its_progress_cache(cache_down, officer, caplog):
    # given
    job = job_create(kind="tests.echo", created_by=officer, params={"name": "Carers"})
    # when
    job_run(job_id=job.pk)
    # then
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert "cache unreachable" in caplog.text


def test_partner_api_calls_are_counted_in_the_process(redis_down, police_client, settings):
    # given: the agency may make 2 calls a minute
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "agency": "2/min"}
    api = api_for(police_client)
    # when
    answers = [api.get("/api/v1/me/").status_code for _ in range(3)]
    # then: served, and still limited, with one warning
    assert answers == [200, 200, 429]
    assert redis_down.text.count("API calls counted per process") == 1


def test_anonymous_calls_are_limited_in_the_process(redis_down, settings):
    # given: 2 calls a minute without credentials (guessing tokens)
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anonymous": "2/min"}
    api = APIClient()
    # when
    answers = [api.get("/api/v1/me/").status_code for _ in range(3)]
    # then
    assert answers == [401, 401, 429]


def test_a_visitor_suggestion_is_saved_and_still_limited(redis_down, client, ward, monkeypatch):
    # given: 1 suggestion an hour from one address
    monkeypatch.setattr("communities.views.SUGGESTIONS_PER_HOUR", 1)
    form = {"kind": "place", "category": "park", "name": "Low Moor Park", "area": ward.pk}
    # when
    response = client.post(reverse("communities:asset_suggest"), form)
    again = client.post(reverse("communities:asset_suggest"), {**form, "name": "Other"})
    # then
    assert response.url == reverse("communities:asset_suggest_done")
    assert Asset.objects.filter(name="Low Moor Park").exists()
    assert again.status_code == 429
