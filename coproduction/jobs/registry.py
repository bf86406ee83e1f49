"""The kinds of job the worker runs, each registered by its app's `jobs.py`:

    @job_runner("communities.census_import", label="Census import",
                permission="communities.import_census")
    def census_import_job(job, progress):
        ...                     # read job.upload / job.params; call progress(done, total)
        return {"created": 12}  # the job's result summary

A runner does all its writes through services inside the one transaction the framework
opens around it, so a failure, or a worker killed mid-run, writes nothing. It raises
JobInputError(errors) for a malformed input: the job fails with those errors listed.
"""

from collections.abc import Callable
from dataclasses import dataclass

Progress = Callable[..., None]


class JobInputError(Exception):
    """The input cannot be used; `errors` says where and why (e.g. line and column)."""

    def __init__(self, errors: list[dict] | list[str], message: str = "") -> None:
        super().__init__(message or "The file could not be imported.")
        self.errors = errors
        self.message = message or "The file could not be imported."


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    run: Callable
    # The permission (django-rules) a person needs to see this kind of job's page, beside
    # its creator. Empty: only the creator and administrators.
    permission: str = ""
    # Where the finished job's page links to, as a URL name taking no arguments.
    done_url_name: str = ""


JOB_KINDS: dict[str, JobKind] = {}


def job_runner(
    name: str, *, label: str, permission: str = "", done_url_name: str = ""
) -> Callable[[Callable], Callable]:
    def register(func: Callable) -> Callable:
        JOB_KINDS[name] = JobKind(name, label, func, permission, done_url_name)
        return func

    return register


def job_kind(name: str) -> JobKind:
    return JOB_KINDS[name]
