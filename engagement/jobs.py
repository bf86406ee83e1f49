"""Background jobs of the engagement app (coproduction.jobs)."""

from coproduction.jobs.registry import JobInputError, job_runner

from .imports import ImportRefusedError, participation_import


@job_runner(
    "engagement.import_participation",
    label="Attendance and evaluation sheets import",
    done_url_name="engagement:event_list",
)
def import_participation_job(job, progress):
    with job.upload.open("rb") as upload:
        raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise JobInputError(
            [{"line": "", "column": "", "message": "Save the file as CSV UTF-8 and try again"}],
            "The file is not UTF-8 text",
        ) from None
    try:
        result = participation_import(
            text=text, actor=job.created_by, progress=progress, file_name=job.upload_name
        )
    except ImportRefusedError as exc:
        raise JobInputError(exc.errors, str(exc)) from None
    return result.as_dict()
