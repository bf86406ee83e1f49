"""The report run as a background job: the jobs framework gives it exactly-once runs (one
transaction holding the job's row lock), the outbox for a broker that is down, and
progress through the cache."""

from coproduction.jobs.registry import job_runner

from .services import JOB_KIND, report_generate


@job_runner(JOB_KIND, label="Inclusion report")
def report_job(job, progress) -> dict:
    report = report_generate(report_id=job.params["report_id"], progress=progress)
    return {"report": report.pk, "participants": report.results.get("participants")}
