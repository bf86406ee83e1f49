"""A census upload imported by the real worker, as in production."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from communities.models import CensusTable
from coproduction.jobs.models import Job
from coproduction.jobs.services import job_create
from tests.communities import onsfiles

pytestmark = pytest.mark.worker


def test_census_upload_is_imported_by_the_worker(celery_worker, officer, ward):
    # given
    ward.gss_code = "E05099001"
    ward.save()
    text = onsfiles.census_wide(
        "TS008", {"E05099001": ("Town Centre", {"female": 50, "male": 47})}
    )
    # when
    job = job_create(
        kind="communities.census_import",
        created_by=officer,
        upload=SimpleUploadedFile("census2021-ts008-ward.csv", text.encode(), "text/csv"),
    )
    # then
    celery_worker.wait_for(
        lambda: Job.objects.filter(pk=job.pk).exclude(status__in=["queued", "running"]).exists(),
        what="the census import to finish",
    )
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, (job.message, job.errors)
    assert job.result["created"] == 1
    assert CensusTable.objects.get(area=ward, table="TS008").total == 97
    assert not job.upload  # the uploaded file is deleted once read
