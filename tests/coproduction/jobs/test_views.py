import pytest
from django.urls import reverse

from coproduction.jobs.models import Job
from tests.accounts.factories import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_job(officer):
    return Job.objects.create(
        kind="tests.bad_input",
        created_by=officer,
        status=Job.Status.FAILED,
        message="The file has 1 error",
        errors=[{"line": 2, "column": "postcode", "message": "Enter a full postcode"}],
    )


def test_job_page_shows_each_error_with_its_line_and_column(client, officer, failed_job):
    # given
    client.force_login(officer)
    # when
    response = client.get(reverse("jobs:detail", args=[failed_job.pk]))
    # then
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing was changed" in content
    assert "Enter a full postcode" in content
    assert "postcode" in content


def test_job_page_of_a_running_job_refreshes_without_javascript(client, officer):
    # given
    job = Job.objects.create(kind="tests.echo", created_by=officer, status=Job.Status.RUNNING)
    client.force_login(officer)
    # when
    response = client.get(reverse("jobs:detail", args=[job.pk]))
    # then
    assert b'<noscript><meta http-equiv="refresh"' in response.content
    assert b'data-status-url="' in response.content


def test_job_status_json(client, officer):
    # given
    job = Job.objects.create(
        kind="tests.echo",
        created_by=officer,
        status=Job.Status.RUNNING,
        progress_done=1,
        progress_total=4,
    )
    client.force_login(officer)
    # when
    response = client.get(reverse("jobs:status", args=[job.pk]))
    # then
    assert response.json() == {
        "status": "running",
        "status_label": "Running",
        "done": 1,
        "total": 4,
        "percent": 25,
        "message": "",
        "finished": False,
    }


def test_job_is_hidden_from_other_people(client, failed_job):
    # given
    client.force_login(OfficerFactory())
    # when
    page = client.get(reverse("jobs:detail", args=[failed_job.pk]))
    status = client.get(reverse("jobs:status", args=[failed_job.pk]))
    # then
    assert page.status_code == 404
    assert status.status_code == 404
