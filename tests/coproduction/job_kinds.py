"""Kinds of background job that only the tests run (coproduction.jobs.registry).

Each writes a CommunityOfInterest named by its params, so a test can see whether the
job's writes were kept or rolled back.
"""

import time

from communities.models import CommunityOfInterest
from coproduction.jobs.registry import JobInputError, job_runner


@job_runner("tests.echo", label="Test job")
def echo_job(job, progress):
    for done in range(1, 4):
        progress(done, 3, "counting")
    CommunityOfInterest.objects.create(name=job.params["name"])
    return {"created": 1}


@job_runner("tests.bad_input", label="Test job with a bad file")
def bad_input_job(job, progress):
    CommunityOfInterest.objects.create(name=job.params["name"])
    raise JobInputError(
        [{"line": 2, "column": "postcode", "message": "Enter a full postcode"}],
        "The file has 1 error",
    )


@job_runner("tests.crash", label="Test job that crashes")
def crash_job(job, progress):
    CommunityOfInterest.objects.create(name=job.params["name"])
    raise RuntimeError("boom")


@job_runner("tests.slow_write", label="Slow test job")
def slow_write_job(job, progress):
    CommunityOfInterest.objects.create(name=job.params["name"])
    progress(1, 2, "written, now waiting")
    time.sleep(float(job.params.get("seconds", 5)))
    return {"created": 1}
