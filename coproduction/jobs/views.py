from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView

from coproduction.accounts.roles import Role

from .models import Job
from .registry import JOB_KINDS
from .services import job_dispatch, job_progress

# The key of a job's result that names the page to continue to.
NEXT_URL = "next_url"


def job_for_viewer(request: HttpRequest, job_id) -> Job:
    """The job, if this person may see it: its creator, an administrator, or anyone with
    the permission its kind names. Others get a 404, not a hint that it exists."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    job = get_object_or_404(Job, pk=job_id)
    kind = JOB_KINDS.get(job.kind)
    allowed = (
        job.created_by_id == request.user.pk
        or request.user.has_role(Role.ADMINISTRATOR)
        or (kind is not None and kind.permission and request.user.has_perm(kind.permission))
    )
    if not allowed:
        raise Http404
    return job


@method_decorator(never_cache, name="dispatch")
class JobDetailView(LoginRequiredMixin, DetailView):
    template_name = "jobs/job_detail.html"
    context_object_name = "job"

    def get_object(self, queryset=None) -> Job:
        job = job_for_viewer(self.request, self.kwargs["pk"])
        if job.status == Job.Status.QUEUED and job.enqueued_at is None:
            # Left queued while the broker was down: try again now someone is looking.
            job_dispatch(job_id=job.pk)
            job.refresh_from_db()
        return job

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        job = self.object
        kind = JOB_KINDS.get(job.kind)
        context["kind"] = kind
        context["progress"] = job_progress(job=job)
        context["status_url"] = reverse("jobs:status", args=[job.pk])
        result = dict(job.result or {})
        # A runner may name the page its result lives on (a draw, a report): the job's
        # page then continues there; otherwise to its kind's page, if it has one.
        next_url = result.pop(NEXT_URL, "")
        context["result_rows"] = result
        context["done_url"] = (
            next_url
            if isinstance(next_url, str) and next_url.startswith("/")
            else reverse(kind.done_url_name)
            if kind is not None and kind.done_url_name
            else ""
        )
        return context


@never_cache
def job_status(request: HttpRequest, pk) -> JsonResponse:
    job = job_for_viewer(request, pk)
    return JsonResponse(job_progress(job=job))
