"""The communities imports as background jobs: the browser's upload runs the same service
as the management command, in the worker, with its progress on the job's page."""

from coproduction.jobs.registry import JobInputError, job_runner

from . import services
from .importers import ImportFileError
from .selectors import area_scope_for_user

PERMISSION = "communities.import_data"


def _run(job, progress, service, **options) -> dict:
    try:
        with job.upload.open("rb") as handle:
            result = service(file=handle, name=job.upload_name, progress=progress, **options)
    except ImportFileError as exc:
        raise JobInputError(exc.errors, exc.message) from None
    return result.summary()


@job_runner(
    "communities.census_import",
    label="Census table import",
    permission=PERMISSION,
    done_url_name="communities:area_list",
)
def census_import_job(job, progress) -> dict:
    return _run(job, progress, services.census_import, table=job.params.get("table") or None)


@job_runner(
    "communities.imd_import",
    label="Indices of Deprivation import",
    permission=PERMISSION,
    done_url_name="communities:area_list",
)
def imd_import_job(job, progress) -> dict:
    return _run(job, progress, services.deprivation_import)


@job_runner(
    "communities.lookup_import",
    label="ONS lookup import",
    permission=PERMISSION,
    done_url_name="communities:area_list",
)
def lookup_import_job(job, progress) -> dict:
    return _run(
        job, progress, services.lookup_import, council_code=job.params.get("council_code") or None
    )


@job_runner(
    "communities.postcodes_import",
    label="Postcode directory import",
    permission=PERMISSION,
    done_url_name="communities:area_list",
)
def postcodes_import_job(job, progress) -> dict:
    return _run(job, progress, services.postcode_import)


@job_runner(
    "communities.spend_import",
    label="Spend import",
    permission=PERMISSION,
    done_url_name="communities:area_list",
)
def spend_import_job(job, progress) -> dict:
    if job.created_by is None:
        raise JobInputError([], "The person who started this import no longer has an account.")
    return _run(
        job, progress, services.spend_import, areas=area_scope_for_user(user=job.created_by)
    )
