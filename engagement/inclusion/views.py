import json
from decimal import Decimal

import rules
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from communities.models import Area
from coproduction.charts import bar_chart
from coproduction.exports import csv_response
from coproduction.forms import conflict_response, refusal_response
from coproduction.jobs.services import job_dispatch, job_progress
from coproduction.versioning import EditConflictError
from governance.audit import audit_record

from . import selectors, services
from .disclosure import INTERNAL, PUBLISHED
from .exports import CSV_HEADER, csv_rows
from .forms import ReportRequestForm, TargetForm
from .models import Report
from .schema import report_schema

PAGE_SIZE = 25


class ReadersMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "inclusion.view_reports"


class RequestersMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "inclusion.request_report"


class TargetsMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "inclusion.manage_targets"


def _report_for(request, pk) -> Report:
    try:
        return selectors.report_get_for_user(user=request.user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def mode_for(request, report: Report) -> str:
    """Staff, councillors and board members read the staff figures (or, asking for it,
    the published ones); partner agencies only ever the published figures."""
    if request.user.has_perm("inclusion.view_report", report):
        return PUBLISHED if request.GET.get("version") == PUBLISHED else INTERNAL
    if request.user.has_perm("inclusion.view_published_report", report):
        return PUBLISHED
    raise PermissionDenied


def _audit_read(request, report: Report, mode: str, what: str) -> None:
    """Reading staff figures is reading special category data (aggregated): recorded."""
    if mode != INTERNAL:
        return
    audit_record(
        actor=request.user,
        action=f"inclusion.report.{what}",
        obj=report,
        fields=[d["code"] for d in report.results.get("dimensions", [])],
        route=request.path,
    )


class ReportListView(ReadersMixin, TemplateView):
    template_name = "inclusion/report_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reports = selectors.report_list_for_user(user=self.request.user).only(
            "pk",
            "scope_kind",
            "scope_key",
            "period_start",
            "period_end",
            "via",
            "generated_at",
            "created_at",
            "is_public",
            "area__name",
            "project__reference",
            "project__title",
            "partnership__name",
            "priority_cycle__title",
            "priority_cycle__partnership__name",
            "event_series__name",
            "job__status",
            "requested_by__full_name",
            "requested_by_agency__name",
        )
        page = Paginator(reports.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        context["page"] = page
        context["may_request"] = self.request.user.has_perm("inclusion.request_report")
        context["may_set_targets"] = self.request.user.has_perm("inclusion.manage_targets")
        return context


class ReportRequestView(RequestersMixin, FormView):
    template_name = "inclusion/report_request.html"
    form_class = ReportRequestForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["scope_choices"] = selectors.scope_choices_for_user(user=self.request.user)
        initial = self.request.GET.get("scope")
        if initial:
            kwargs.setdefault("initial", {})["scope"] = initial
        return kwargs

    def form_valid(self, form):
        chosen = selectors.scope_from_choice(
            user=self.request.user, value=form.cleaned_data["scope"]
        )
        if chosen is None:
            form.add_error("scope", "Choose one of the listed scopes.")
            return self.form_invalid(form)
        kind, obj = chosen
        try:
            report = services.report_request(
                scope=services.ReportScope(kind, obj),
                start=form.cleaned_data["start_date"],
                end=form.cleaned_data["end_date"],
                requested_by=self.request.user,
                minimum_age=form.cleaned_data["minimum_age"],
            )
        except services.ReportError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        return redirect(report.get_absolute_url())


def _dimension_chart(dim: dict):
    has_groups = any(x["level"] == "group" for x in dim["groups"])
    charted = [g for g in dim["groups"] if g["level"] == "group" or not has_groups]
    # The hidden groups together, where the first of them would be: they are often the
    # ones furthest below their share, and a chart without them would leave out the gap
    # the page reports.
    # A pool of the charted level is the total less the groups shown, so the total is the
    # two together.
    shown = sum(g["count"] for g in charted if not g["suppressed"] and g["count"] is not None)
    pools = {}
    for pool in dim.get("pooled", []):
        if pool["count"] and set(pool["codes"]) <= {g["code"] for g in charted}:
            share = pool["count"] / (pool["count"] + shown)
            pools[pool["codes"][0]] = (pool["label"], 100 * share, 100 * pool["census_share"])
    rows = []
    for g in charted:
        if g["code"] in pools:
            rows.append(pools[g["code"]])
        if not g["suppressed"] and g["share"] is not None:
            rows.append((g["label"], 100 * g["share"], 100 * g["census_share"]))
    if not rows:
        return None
    return bar_chart(
        title=f"{dim['label']}: participants against residents",
        rows=rows,
        value_heading="Participants (%)",
        reference_heading="Residents (%)",
        label_heading=dim["label"],
        unit="%",
        fmt="{:.1f}",
    )


def report_context(report: Report, results: dict) -> dict:
    dimensions = [
        {
            **d,
            "chart": _dimension_chart(d) if d["shown"] else None,
            "chart_id": f"chart-{d['code']}",
        }
        for d in results.get("dimensions", [])
    ]
    deprivation = results.get("deprivation") or {}
    rows = [
        (f"Decile {r['decile']}", r["per_1000"])
        for r in deprivation.get("deciles", [])
        if r["per_1000"] is not None
    ]
    deprivation_chart = (
        bar_chart(
            title="Participants per 1,000 residents, by deprivation decile (1: most deprived)",
            rows=rows,
            value_heading="Per 1,000 residents",
            label_heading="IMD decile",
            fmt="{:.2f}",
        )
        if rows
        else None
    )
    return {
        "results": results,
        "deprivation_chart": deprivation_chart,
        "dimensions": dimensions,
    }


@method_decorator(never_cache, name="dispatch")
class ReportDetailView(ReadersMixin, TemplateView):
    template_name = "inclusion/report_detail.html"

    def get(self, request, *args, **kwargs):
        self.report = _report_for(request, kwargs["pk"])
        self.mode = mode_for(request, self.report)
        job = self.report.job
        if job is not None and job.status == job.Status.QUEUED and job.enqueued_at is None:
            # Left queued while the broker was down: try again now someone is looking.
            job_dispatch(job_id=job.pk)
        if self.report.is_done:
            _audit_read(request, self.report, self.mode, "read")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        context["report"] = report
        context["mode"] = self.mode
        context["is_internal"] = self.mode == INTERNAL
        context["may_publish"] = self.request.user.has_perm("inclusion.publish_report", report)
        context["may_request"] = self.request.user.has_perm("inclusion.request_report")
        if report.is_done:
            results = report.figures(self.mode)
            context.update(report_context(report, results))
        elif report.job is not None:
            context["job"] = report.job
            context["progress"] = job_progress(job=report.job)
            context["status_url"] = reverse("inclusion:report_status", args=[report.pk])
        return context


@method_decorator(never_cache, name="dispatch")
class ReportStatusView(ReadersMixin, View):
    def get(self, request, pk):
        report = _report_for(request, pk)
        mode_for(request, report)
        if report.job is None:
            return JsonResponse({"status": "done", "finished": True, "percent": 100})
        progress = job_progress(job=report.job)
        if report.is_done:
            progress = {**progress, "finished": True, "percent": 100}
        return JsonResponse(progress)


class _DownloadView(ReadersMixin, View):
    def results(self, request, pk) -> tuple[Report, str, dict]:
        report = _report_for(request, pk)
        if not report.is_done:
            raise Http404
        mode = mode_for(request, report)
        _audit_read(request, report, mode, "download")
        return report, mode, report.figures(mode)


class ReportCsvView(_DownloadView):
    def get(self, request, pk):
        report, mode, results = self.results(request, pk)
        return csv_response(
            filename=f"inclusion-report-{report.pk}-{mode}.csv",
            header=CSV_HEADER,
            rows=csv_rows(results),
        )


class ReportJsonView(_DownloadView):
    def get(self, request, pk):
        report, mode, results = self.results(request, pk)
        response = HttpResponse(
            json.dumps(results, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="inclusion-report-{report.pk}-{mode}.json"'
        )
        return response


class ReportPublishView(RequestersMixin, ReportDetailView):
    """Put the published figures on the public pages, or take them off; a refusal shows
    the report again with why (400)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        report = self.report = _report_for(request, pk)
        if not request.user.has_perm("inclusion.publish_report", report):
            raise PermissionDenied
        public = request.POST.get("public") == "yes"
        try:
            services.report_publish(report=report, actor=request.user, public=public)
        except services.ReportError as exc:
            self.mode = mode_for(request, report)
            return refusal_response(self, [str(exc)], anchor="report-heading")
        messages.success(
            request,
            "The published figures are now on the public pages."
            if public
            else "The report is no longer on the public pages.",
        )
        return redirect(report.get_absolute_url())


class ReportRetryView(RequestersMixin, View):
    def post(self, request, pk):
        report = _report_for(request, pk)
        services.report_retry(report=report, actor=request.user)
        return redirect(report.get_absolute_url())


class ReportSchemaView(View):
    def get(self, request):
        return JsonResponse(report_schema(), json_dumps_params={"indent": 2})


# Public pages: published figures only ------------------------------------------------------


class PublicReportListView(TemplateView):
    template_name = "inclusion/public_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reports = selectors.report_public_list().order_by("-period_end", "-pk")
        context["page"] = Paginator(reports, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return context


class PublicReportDetailView(TemplateView):
    template_name = "inclusion/public_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            report = selectors.report_public_get(pk=kwargs["pk"])
        except ObjectDoesNotExist:
            raise Http404 from None
        context["report"] = report
        context["mode"] = PUBLISHED
        context.update(report_context(report, report.figures(PUBLISHED)))
        return context


class PublicReportCsvView(View):
    def get(self, request, pk):
        try:
            report = selectors.report_public_get(pk=pk)
        except ObjectDoesNotExist:
            raise Http404 from None
        return csv_response(
            filename=f"inclusion-report-{report.pk}-published.csv",
            header=CSV_HEADER,
            rows=csv_rows(report.figures(PUBLISHED)),
        )


# Targets ---------------------------------------------------------------------------------


class TargetListView(TargetsMixin, TemplateView):
    template_name = "inclusion/target_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        from .forms import target_group_choices

        labels = {
            value: f"{group}: {label}"
            for group, options in target_group_choices()
            for value, label in options
        }
        targets = list(selectors.target_list_for_user(user=self.request.user))
        for target in targets:
            target.group_label = labels.get(
                f"{target.dimension}:{target.category}", target.category
            )
        context["targets"] = targets
        # The rule set itself: a refusal would otherwise fall through to Django's model
        # backend and load the person's permissions (two queries) for nothing.
        context["may_manage_programme"] = rules.has_perm(
            "inclusion.manage_programme_targets", self.request.user
        )
        return context


def _target_data(form, *, area) -> services.TargetData:
    dimension, _, category = form.cleaned_data["group"].partition(":")
    return services.TargetData(
        dimension=dimension,
        category=category,
        minimum_percent=Decimal(form.cleaned_data["minimum_percent"]),
        maximum_percent=Decimal(form.cleaned_data["maximum_percent"]),
        area=area,
        note=form.cleaned_data.get("note", ""),
    )


class TargetCreateView(TargetsMixin, FormView):
    template_name = "inclusion/target_form.html"
    form_class = TargetForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["areas"] = selectors.target_areas_for_user(user=self.request.user)
        kwargs["allow_programme"] = rules.has_perm(
            "inclusion.manage_programme_targets", self.request.user
        )
        return kwargs

    def form_valid(self, form):
        area = None
        if not form.cleaned_data.get("area") and not rules.has_perm(
            "inclusion.manage_programme_targets", self.request.user
        ):
            form.add_error("area", "Choose one of your areas.")
            return self.form_invalid(form)
        if form.cleaned_data.get("area"):
            area = (
                selectors.target_areas_for_user(user=self.request.user)
                .filter(pk=form.cleaned_data["area"])
                .first()
            )
            if area is None:
                form.add_error("area", "Choose one of your areas.")
                return self.form_invalid(form)
        try:
            services.target_create(data=_target_data(form, area=area), actor=self.request.user)
        except services.ReportError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, "Target saved.")
        return redirect("inclusion:target_list")


class _TargetObjectMixin(TargetsMixin):
    def get_target(self):
        try:
            target = selectors.target_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
        except ObjectDoesNotExist:
            raise Http404 from None
        if not self.request.user.has_perm("inclusion.change_target", target):
            # Listed (it applies to their reports) but not theirs to change.
            raise PermissionDenied
        return target


class TargetEditView(_TargetObjectMixin, FormView):
    template_name = "inclusion/target_form.html"
    form_class = TargetForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm("inclusion.manage_targets"):
            self.target = self.get_target()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["areas"] = (
            Area.objects.filter(pk=self.target.area_id)
            if self.target.area_id
            else Area.objects.none()
        )
        kwargs["editing"] = True
        kwargs["initial"] = {
            "area": str(self.target.area_id or ""),
            "group": f"{self.target.dimension}:{self.target.category}",
            "minimum_percent": self.target.minimum_percent,
            "maximum_percent": self.target.maximum_percent,
            "note": self.target.note,
            "version": self.target.version,
        }
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["target"] = self.target
        return context

    def form_valid(self, form):
        version = form.cleaned_data["version"]
        try:
            services.target_update(
                target=self.target,
                data=_target_data(form, area=self.target.area),
                actor=self.request.user,
                version=version,
            )
        except EditConflictError:
            return conflict_response(
                self,
                form,
                "Someone else changed this target while you were editing it. Your changes "
                "have not been saved: check it as it is now and make them again.",
            )
        except services.ReportError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, "Target saved.")
        return redirect("inclusion:target_list")


class TargetDeleteView(_TargetObjectMixin, TemplateView):
    template_name = "inclusion/target_delete.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["target"] = self.get_target()
        return context

    def post(self, request, pk):
        target = self.get_target()
        services.target_delete(target=target, actor=request.user)
        messages.success(request, "Target removed.")
        return redirect("inclusion:target_list")
