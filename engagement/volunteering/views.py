"""Pages for volunteers' safety: thin views over the services, the gate and the selectors.

Officers (and administrators) work under /staff/volunteering/; risk assessments are under
/volunteering/assessments/ because group leads draft them too; a volunteer's own pages are
under /my/volunteering/, and the list of what volunteers do (and never do) is public.
"""

import uuid
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import (
    BadRequest,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from communities.models import Area
from coproduction.accounts.selectors import area_list_for_user
from coproduction.charts import bar_chart
from coproduction.forms import conflict_response
from coproduction.numbers import whole_number
from engagement import selectors as engagement_selectors
from engagement.models import (
    ActivityRosterEntry,
    Event,
    IssueCategory,
    RiskAssessment,
    RiskAssessmentHazard,
    Toolkit,
    ToolkitLoan,
    VolunteerActivity,
    VolunteerTask,
)
from engagement.models.volunteering import risk_rating
from engagement.photos import photos_from_form
from engagement.registers import register_read, register_saved
from engagement.services import EngagementError
from projects.models import Project

from . import forms, selectors, services
from .gate import GateRefusedError

PAGE_SIZE = 50


class StaffMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Council officers and administrators."""

    permission_required = "engagement.manage_volunteering"

    def staff_ok(self, request) -> bool:
        return request.user.is_authenticated and request.user.has_perm(self.permission_required)


def _or_404(getter, **kwargs):
    try:
        return getter(**kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None


def _refuse(form, error: EngagementError) -> list:
    """Put a refusal into the form's error summary; returns those of the gate's refusals
    that link to where to put them right, for the page to show under it (a refusal with
    nowhere to go, a kit already on loan, would leave an empty "What to do")."""
    refusals = list(getattr(error, "refusals", ()))
    if refusals:
        for refusal in refusals:
            form.add_error(None, refusal.message)
    else:
        form.add_error(None, str(error))
    return [refusal for refusal in refusals if refusal.link]


def _errors(form, formset) -> dict:
    """The context for one error summary over a form and its formset's rows."""
    bound = form.is_bound or formset.is_bound
    has_errors = bound and bool(
        form.errors or formset.non_form_errors() or any(f.errors for f in formset.forms)
    )
    return {"has_errors": has_errors, "error_forms": [form, *formset.forms]}


def _areas(user):
    return area_list_for_user(user=user).exclude(kind=Area.Kind.LSOA).order_by("kind", "name")


def _date(value: str):
    return value.strftime("%d/%m/%Y") if value else ""


# Public: what volunteers do and never do ----------------------------------------------


class VolunteerJobsView(TemplateView):
    template_name = "engagement/volunteering/task_public_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tasks = list(selectors.task_list())
        context["allowed"] = [t for t in tasks if not t.is_prohibited]
        context["prohibited"] = [t for t in tasks if t.is_prohibited]
        return context


# Officers: the dashboard ------------------------------------------------------------------


class DashboardView(StaffMixin, TemplateView):
    template_name = "engagement/volunteering/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["dashboard"] = selectors.volunteering_dashboard(user=self.request.user)
        context["today"] = timezone.localdate()
        return context


# Officers: the task catalogue -------------------------------------------------------------


class TaskListView(StaffMixin, TemplateView):
    template_name = "engagement/volunteering/task_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tasks"] = list(selectors.task_list(include_inactive=True))
        return context


class _TaskFormView(StaffMixin, FormView):
    template_name = "engagement/volunteering/task_form.html"
    form_class = forms.VolunteerTaskForm
    task = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["categories"] = IssueCategory.objects.filter(is_active=True)
        kwargs["courses"] = selectors.training_courses(active_only=False)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["task"] = self.task
        return context

    def _data(self, form) -> dict:
        data = dict(form.cleaned_data)
        data.pop("version", None)
        data.pop("required_training", None)
        return data


class TaskCreateView(_TaskFormView):
    def get_initial(self):
        return {"minimum_age": 18, "is_active": True, "is_prohibited": "no"}

    def form_valid(self, form):
        try:
            services.volunteer_task_create(
                actor=self.request.user,
                data=self._data(form),
                required_training=list(form.cleaned_data["required_training"]),
            )
        except EngagementError as exc:
            _refuse(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{form.cleaned_data['name']} added to the tasks.")
        return redirect("engagement:task_list")


class TaskEditView(_TaskFormView):
    def dispatch(self, request, *args, **kwargs):
        if self.staff_ok(request):
            self.task = _or_404(selectors.task_get, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        t = self.task
        return {
            "name": t.name,
            "description": t.description,
            "is_prohibited": "yes" if t.is_prohibited else "no",
            "instead": t.instead,
            "report_category": t.report_category,
            "report_url": t.report_url,
            "hazards": t.hazards,
            "required_training": list(t.required_training.all()),
            "minimum_age": t.minimum_age,
            "is_active": t.is_active,
            "version": t.version,
        }

    def form_valid(self, form):
        try:
            services.volunteer_task_update(
                task=self.task,
                actor=self.request.user,
                data=self._data(form),
                required_training=list(form.cleaned_data["required_training"]),
                version=form.cleaned_data.get("version"),
            )
        except ValidationError:
            return conflict_response(
                self, form, "Someone else changed this task: check it and try again."
            )
        except EngagementError as exc:
            _refuse(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Task saved.")
        return redirect("engagement:task_list")


# Risk assessments (officers, and group leads for their own) ---------------------------


class AssessmentListView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "engagement.draft_riskassessment"
    template_name = "engagement/volunteering/assessment_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tasks = VolunteerTask.objects.allowed()
        form = forms.AssessmentFilterForm(self.request.GET or None, tasks=tasks)
        filters = selectors.AssessmentFilters(due=self.request.GET.get("due") == "1")
        if form.is_valid():
            filters = selectors.AssessmentFilters(
                status=form.cleaned_data["status"],
                task=form.cleaned_data["task"],
                due=filters.due,
            )
        assessments = selectors.assessment_list_for_user(user=self.request.user, filters=filters)
        context["filter_form"] = form
        context["page"] = Paginator(assessments, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context


def _assessment_choices(user):
    areas = services.assessment_areas_for(user=user)
    ids = [a.pk for a in areas]
    events = (
        Event.objects.filter(area__in=Area.objects.filter(pk__in=ids).with_descendants())
        .filter(ends_at__gte=timezone.now())
        .order_by("starts_at")
    )
    return {
        "tasks": VolunteerTask.objects.allowed().active(),
        "areas": Area.objects.filter(pk__in=ids).order_by("kind", "name"),
        "events": events,
    }


def _rows_from_post(post, *, prefix: str, names) -> list[dict]:
    """What was typed in each row of a formset, as initial data for a form that shows the
    same rows again (plus one more) without reporting errors yet."""
    try:
        total = min(int(post.get(f"{prefix}-TOTAL_FORMS", 0)), 40)
    except ValueError:
        total = 0
    return [{name: post.get(f"{prefix}-{n}-{name}", "") for name in names} for n in range(total)]


class _AssessmentFormMixin:
    template_name = "engagement/volunteering/assessment_form.html"
    hazard_rows = 3

    def render_with(self, form, formset, *, status=200, refusals=()):
        context = self.get_context_data(
            form=form, formset=formset, refusals=refusals, **_errors(form, formset)
        )
        return self.render_to_response(context, status=status)

    def wants_another_row(self) -> bool:
        return self.request.POST.get("action") == "add_hazard"

    def with_another_row(self):
        rows = _rows_from_post(
            self.request.POST, prefix="hazards", names=forms.HazardForm.REQUIRED
        )
        return forms.HazardFormSet(initial=[*rows, {}], prefix="hazards")


class AssessmentCreateView(
    LoginRequiredMixin, PermissionRequiredMixin, _AssessmentFormMixin, TemplateView
):
    permission_required = "engagement.draft_riskassessment"

    def form(self, data=None):
        initial = {}
        task = whole_number(self.request.GET.get("task"))
        if task is not None:
            initial["task"] = task
        return forms.RiskAssessmentForm(
            data,
            initial=initial,
            **_assessment_choices(self.request.user),
        )

    def get(self, request, *args, **kwargs):
        blank = forms.HazardFormSet(initial=[{}] * self.hazard_rows, prefix="hazards")
        return self.render_with(self.form(), blank)

    def post(self, request, *args, **kwargs):
        if self.wants_another_row():
            unbound = forms.RiskAssessmentForm(
                initial=request.POST.dict(), **_assessment_choices(request.user)
            )
            return self.render_with(unbound, self.with_another_row())
        form = self.form(request.POST)
        formset = forms.HazardFormSet(request.POST, prefix="hazards")
        if not (form.is_valid() and formset.is_valid()):
            return self.render_with(form, formset)
        data = form.cleaned_data
        try:
            assessment = services.risk_assessment_create(
                actor=request.user,
                task=data["task"],
                area=data["area"],
                site=data["site"],
                event=data["event"],
                emergency_arrangements=data["emergency_arrangements"],
                insurance=data["insurance"],
                hazards=formset.hazard_inputs(),
            )
        except EngagementError as exc:
            return self.render_with(form, formset, refusals=_refuse(form, exc))
        messages.success(request, f"Draft {assessment.reference} saved. Submit it for approval.")
        return redirect(assessment.get_absolute_url())


class AssessmentEditView(LoginRequiredMixin, _AssessmentFormMixin, TemplateView):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.assessment = _or_404(
            selectors.assessment_get_for_user, user=request.user, pk=kwargs["pk"]
        )
        if not request.user.has_perm("engagement.change_riskassessment", self.assessment):
            if self.assessment.status != RiskAssessment.Status.DRAFT:
                return self.no_longer_a_draft()
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def no_longer_a_draft(self):
        """Opening the form of an assessment already submitted leads to the assessment.
        Changes sent from a form opened while it was a draft are shown again with why
        (409), so that nothing typed is lost: it can go into a new revision."""
        why = (
            "This risk assessment has been submitted or approved, so it cannot be "
            "changed: start a new revision."
        )
        if self.request.method != "POST":
            messages.error(self.request, why)
            return redirect(self.assessment.get_absolute_url())
        form = self.form(self.request.POST)
        formset = forms.HazardFormSet(self.request.POST, prefix="hazards")
        form.add_error(None, why)
        return self.render_with(form, formset, status=409)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assessment"] = self.assessment
        return context

    def form(self, data=None):
        a = self.assessment
        choices = _assessment_choices(self.request.user)
        choices["events"] = choices["events"] | Event.objects.filter(pk=a.event_id)
        return forms.RiskAssessmentForm(
            data,
            initial={
                "site": a.site,
                "event": a.event,
                "emergency_arrangements": a.emergency_arrangements,
                "insurance": a.insurance,
                "version": a.version,
            },
            editing=True,
            **choices,
        )

    def initial_hazards(self):
        return [
            {name: getattr(h, name) for name in forms.HazardForm.REQUIRED}
            for h in self.assessment.hazards.all()
        ]

    def get(self, request, *args, **kwargs):
        formset = forms.HazardFormSet(initial=[*self.initial_hazards(), {}], prefix="hazards")
        return self.render_with(self.form(), formset)

    def post(self, request, *args, **kwargs):
        if self.wants_another_row():
            a = self.assessment
            choices = _assessment_choices(request.user)
            choices["events"] = choices["events"] | Event.objects.filter(pk=a.event_id)
            unbound = forms.RiskAssessmentForm(
                initial=request.POST.dict(), editing=True, **choices
            )
            return self.render_with(unbound, self.with_another_row())
        form = self.form(request.POST)
        formset = forms.HazardFormSet(request.POST, prefix="hazards")
        if not (form.is_valid() and formset.is_valid()):
            return self.render_with(form, formset)
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.risk_assessment_update(
                assessment=self.assessment,
                actor=request.user,
                data=data,
                hazards=formset.hazard_inputs(),
                version=version,
            )
        except ValidationError:
            form.add_error(None, "Someone else changed this draft: check it and try again.")
            return self.render_with(form, formset, status=409)
        except EngagementError as exc:
            return self.render_with(form, formset, refusals=_refuse(form, exc))
        messages.success(request, "Draft saved.")
        return redirect(self.assessment.get_absolute_url())


def _risk_matrix(hazards) -> list[dict]:
    """The 5x5 matrix, likelihood down and severity across, with the number of each hazard
    placed where its risk lies once the controls are in place."""
    return [
        {
            "likelihood": likelihood,
            "label": RiskAssessmentHazard.Likelihood(likelihood).label,
            "cells": [
                {
                    "severity": severity,
                    "rating": risk_rating(likelihood * severity),
                    "hazards": [
                        n
                        for n, h in enumerate(hazards, start=1)
                        if (h.likelihood_after, h.severity_after) == (likelihood, severity)
                    ],
                }
                for severity in range(1, 6)
            ],
        }
        for likelihood in range(5, 0, -1)
    ]


ASSESSMENT_ACTIONS = {"submit", "approve", "return", "revise", "reopen", "withdraw"}


class AssessmentDetailView(LoginRequiredMixin, TemplateView):
    """An assessment, its hazards with their ratings, its revisions, and the actions the
    person may take. Every read by staff is audited."""

    template_name = "engagement/volunteering/assessment_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.assessment = _or_404(
            selectors.assessment_get_for_user, user=request.user, pk=kwargs["pk"]
        )
        if not request.user.has_perm("engagement.view_riskassessment", self.assessment):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        services.risk_assessment_view(assessment=self.assessment, actor=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        a, user = self.assessment, self.request.user
        context.update(
            assessment=a,
            hazards=list(a.hazards.all()),
            chain=selectors.assessment_chain(assessment=a),
            residual=RiskAssessment.objects.filter(pk=a.pk)
            .with_residual_score()
            .values_list("residual_score", flat=True)
            .first(),
            can_edit=user.has_perm("engagement.change_riskassessment", a),
            can_decide=user.has_perm("engagement.decide_riskassessment", a),
            can_revise=user.has_perm("engagement.revise_riskassessment", a),
            can_withdraw=a.status not in ("superseded", "withdrawn")
            and user.has_perm("engagement.withdraw_riskassessment", a),
            is_author=a.author_id == user.pk,
            approve_form=kwargs.get("approve_form")
            or forms.ApproveForm(
                initial={"review_on": _date(timezone.localdate() + timedelta(days=365))},
                prefix="approve",
            ),
            reason_form=kwargs.get("reason_form") or forms.ReasonForm(prefix="reason"),
            error_form=kwargs.get("error_form"),
        )
        context["residual_rating"] = risk_rating(context["residual"])
        context["matrix"] = _risk_matrix(context["hazards"])
        return context

    def post(self, request, pk: int):
        action = request.POST.get("action", "")
        if action not in ASSESSMENT_ACTIONS:
            return HttpResponse("Unknown action", status=400)
        a, user = self.assessment, request.user
        try:
            if action == "submit":
                services.risk_assessment_submit(assessment=a, actor=user)
                messages.success(request, "Submitted for approval by another competent officer.")
            elif action == "approve":
                form = forms.ApproveForm(request.POST, prefix="approve")
                if not form.is_valid():
                    return self._invalid(approve_form=form)
                services.risk_assessment_approve(
                    assessment=a,
                    actor=user,
                    review_on=form.cleaned_data["review_on"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, f"{a.reference} approved.")
            elif action == "revise":
                revision = services.risk_assessment_revise(assessment=a, actor=user)
                messages.success(
                    request,
                    f"Revision {revision.revision} started as a draft; revision {a.revision} "
                    "stays in force until it is approved.",
                )
                return redirect("engagement:assessment_edit", pk=revision.pk)
            else:
                form = forms.ReasonForm(request.POST, prefix="reason")
                if not form.is_valid():
                    return self._invalid(reason_form=form)
                reason = form.cleaned_data["reason"]
                service = {
                    "return": services.risk_assessment_return,
                    "reopen": services.risk_assessment_reopen,
                    "withdraw": services.risk_assessment_withdraw,
                }[action]
                service(assessment=a, actor=user, reason=reason)
                messages.success(
                    request,
                    {
                        "return": "Sent back to its author.",
                        "reopen": "Reopened for review: no one can be rostered on it until it "
                        "is approved again.",
                        "withdraw": "Withdrawn.",
                    }[action],
                )
        except EngagementError as exc:
            if action == "approve":
                form = forms.ApproveForm(request.POST, prefix="approve")
                form.is_valid()
                form.add_error(None, str(exc))
                return self._invalid(approve_form=form)
            form = forms.ReasonForm(request.POST, prefix="reason")
            form.is_valid()
            form.add_error(None, str(exc))
            return self._invalid(reason_form=form)
        return redirect("engagement:assessment_detail", pk=pk)

    def _invalid(self, **bound):
        context = self.get_context_data(error_form=next(iter(bound.values())), **bound)
        return self.render_to_response(context)


# Officers: volunteers ---------------------------------------------------------------------


class VolunteerListView(StaffMixin, TemplateView):
    template_name = "engagement/volunteering/volunteer_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:100]
        if "\x00" in query:  # PostgreSQL takes no NUL in a query
            raise BadRequest("The search holds a NUL character")
        induction = self.request.GET.get("induction", "")
        if induction not in ("done", "not_done"):
            induction = ""
        people = selectors.volunteer_list_for_user(
            user=self.request.user, query=query, induction=induction
        )
        context.update(
            page=Paginator(people, PAGE_SIZE).get_page(self.request.GET.get("page")),
            q=query,
            induction=induction,
            query=urlencode({k: v for k, v in (("q", query), ("induction", induction)) if v}),
        )
        return context


VOLUNTEER_ACTIONS = {"induct", "age", "contact", "training", "paper_signature"}


class VolunteerDetailView(StaffMixin, TemplateView):
    """A person's volunteering: induction, age, emergency contact, training, disclaimer
    signatures, kits and activities, with a form for each."""

    template_name = "engagement/volunteering/volunteer_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if self.staff_ok(request):
            self.person = _or_404(
                selectors.volunteer_profile_for_staff, user=request.user, pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def _forms(self, bound: dict):
        volunteer = getattr(self.person, "volunteer", None)
        how = "none"
        if volunteer is not None:
            if volunteer.date_of_birth:
                how = "date_of_birth"
            elif volunteer.year_of_birth:
                how = "year_of_birth"
            elif volunteer.confirmed_adult:
                how = "confirmed_adult"
        today = forms.today_text()
        return {
            "induct": bound.get("induct")
            or forms.InductionForm(
                prefix="induct",
                initial={
                    "inducted_on": today,
                    "covered": [
                        name
                        for name, _label in forms.INDUCTION_PARTS
                        if not volunteer or not getattr(volunteer, name)
                    ],
                },
            ),
            "age": bound.get("age")
            or forms.AgeForm(
                prefix="age",
                initial={
                    "how": how,
                    "date_of_birth": _date(volunteer.date_of_birth) if volunteer else "",
                    "year_of_birth": volunteer.year_of_birth if volunteer else None,
                    "basis": (volunteer.age_basis if volunteer else "") or "legal_obligation",
                    "version": volunteer.version if volunteer else None,
                },
            ),
            "contact": bound.get("contact")
            or forms.EmergencyContactForm(
                prefix="contact",
                initial={
                    "emergency_contact_name": volunteer.emergency_contact_name
                    if volunteer
                    else "",
                    "emergency_contact_phone": volunteer.emergency_contact_phone
                    if volunteer
                    else "",
                },
            ),
            "training": bound.get("training")
            or forms.TrainingRecordForm(
                prefix="training",
                courses=selectors.training_courses(),
                initial={"completed_on": today},
            ),
            "paper_signature": bound.get("paper_signature")
            or forms.PaperSignatureForm(
                prefix="paper_signature",
                initial={"signed_on": today, "signed_name": self.person.full_name},
            ),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.person
        bound = kwargs.get("bound", {})
        context.update(
            person=person,
            volunteer=getattr(person, "volunteer", None),
            forms=self._forms(bound),
            error_form=next(iter(bound.values()), None),
            disclaimer=services.disclaimer_in_force(),
            signed_versions={s.disclaimer_id for s in person.disclaimer_signatures.all()},
            today=timezone.localdate(),
        )
        return context

    def post(self, request, pk: int):
        action = request.POST.get("action", "")
        if action not in VOLUNTEER_ACTIONS:
            return HttpResponse("Unknown action", status=400)
        person, user = self.person, request.user
        form_class = {
            "induct": forms.InductionForm,
            "age": forms.AgeForm,
            "contact": forms.EmergencyContactForm,
            "training": forms.TrainingRecordForm,
            "paper_signature": forms.PaperSignatureForm,
        }[action]
        extra = {"courses": selectors.training_courses()} if action == "training" else {}
        form = form_class(request.POST, prefix=action, **extra)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(bound={action: form}))
        data = form.cleaned_data
        try:
            if action == "induct":
                services.volunteer_induction_record(
                    participant=person,
                    actor=user,
                    inducted_on=data["inducted_on"],
                    pack_version=data["pack_version"],
                    **form.covered_flags(),
                )
                message = "Induction recorded."
            elif action == "age":
                services.volunteer_age_record(
                    participant=person, actor=user, version=data.get("version"), **form.values()
                )
                message = "Age recorded."
            elif action == "contact":
                services.volunteer_emergency_contact_record(
                    participant=person,
                    actor=user,
                    name=data["emergency_contact_name"],
                    phone=data["emergency_contact_phone"],
                )
                message = "Emergency contact saved."
            elif action == "training":
                record = services.training_record_add(
                    participant=person,
                    actor=user,
                    course=data["course"],
                    completed_on=data["completed_on"],
                    trainer=data["trainer"],
                    notes=data["notes"],
                )
                message = f"{record.course.training} recorded."
            else:
                disclaimer = services.disclaimer_in_force(on=data["signed_on"])
                if disclaimer is None:
                    raise EngagementError("No disclaimer was in force on that day.")
                services.disclaimer_sign(
                    participant=person,
                    disclaimer=disclaimer,
                    signed_name=data["signed_name"],
                    method="paper",
                    actor=user,
                    signed_on=data["signed_on"],
                )
                message = f"Paper signature of disclaimer version {disclaimer.version} recorded."
        except ValidationError:
            form.add_error(None, "Someone else changed this record: check it and try again.")
            return self.render_to_response(self.get_context_data(bound={action: form}), status=409)
        except EngagementError as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(bound={action: form}))
        messages.success(request, message)
        return redirect("engagement:volunteer_detail", pk=pk)


# Officers: activities and rosters -----------------------------------------------------


class ActivityListView(StaffMixin, TemplateView):
    template_name = "engagement/volunteering/activity_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        upcoming = self.request.GET.get("when") != "all"
        activities = selectors.activity_list_for_user(
            user=self.request.user, upcoming_only=upcoming
        )
        context["upcoming"] = upcoming
        context["page"] = Paginator(activities, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context["query"] = "" if upcoming else "when=all"
        return context


def _activity_choices(user):
    scope = area_list_for_user(user=user)
    return {
        "tasks": VolunteerTask.objects.allowed().active(),
        "areas": _areas(user),
        "events": Event.objects.filter(
            area__in=scope, ends_at__gte=timezone.now(), status=Event.Status.SCHEDULED
        ).order_by("starts_at"),
        "projects": Project.objects.filter(areas__in=scope).distinct().order_by("title"),
        "leads": selectors.activity_lead_candidates(user=user),
        "toolkits": Toolkit.objects.filter(home_area__in=scope, in_service=True),
    }


class ActivityCreateView(StaffMixin, FormView):
    template_name = "engagement/volunteering/activity_form.html"
    form_class = forms.VolunteerActivityForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(_activity_choices(self.request.user))
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["prohibited"] = list(VolunteerTask.objects.prohibited().active())
        context.setdefault("refusals", [])
        return context

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            activity = services.volunteer_activity_schedule(actor=self.request.user, data=data)
        except EngagementError as exc:
            refusals = _refuse(form, exc)
            return self.render_to_response(self.get_context_data(form=form, refusals=refusals))
        messages.success(self.request, f"{activity.title} scheduled.")
        return redirect(activity.get_absolute_url())


class _ActivityMixin(StaffMixin):
    def dispatch(self, request, *args, **kwargs):
        if self.staff_ok(request):
            self.activity = _or_404(
                selectors.activity_get_for_staff, user=request.user, pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)


class ActivityEditView(_ActivityMixin, FormView):
    template_name = "engagement/volunteering/activity_form.html"
    form_class = forms.VolunteerActivityForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(_activity_choices(self.request.user))
        kwargs["editing"] = True
        return kwargs

    def get_initial(self):
        a = self.activity
        return {
            "title": a.title,
            "site": a.site,
            "starts_at": timezone.localtime(a.starts_at).strftime("%d/%m/%Y %H:%M"),
            "ends_at": timezone.localtime(a.ends_at).strftime("%d/%m/%Y %H:%M"),
            "group_name": a.group_name,
            "toolkit": a.toolkit,
            "notes": a.notes,
            "version": a.version,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["activity"] = self.activity
        context.setdefault("refusals", [])
        return context

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.volunteer_activity_update(
                activity=self.activity, actor=self.request.user, data=data, version=version
            )
        except ValidationError:
            form.add_error(None, "Someone else changed this activity: check it and try again.")
            return self.render_to_response(self.get_context_data(form=form), status=409)
        except EngagementError as exc:
            refusals = _refuse(form, exc)
            return self.render_to_response(self.get_context_data(form=form, refusals=refusals))
        messages.success(self.request, "Activity saved.")
        return redirect(self.activity.get_absolute_url())


class ActivityDetailView(_ActivityMixin, TemplateView):
    """The roster: add a volunteer through the gate, record who took part and their
    hours, cancel. A refusal names exactly what is missing."""

    template_name = "engagement/volunteering/activity_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activity, user = self.activity, self.request.user
        active = _active(activity)
        context.update(
            activity=activity,
            active=active,
            register=kwargs.get("register")
            or register_saved(active, ticked_status=ActivityRosterEntry.Status.ATTENDED),
            roster_form=kwargs.get("roster_form")
            or forms.RosterAddForm(
                candidates=selectors.volunteer_candidates_for_activity(
                    user=user, activity=activity
                )
            ),
            refusals=kwargs.get("refusals", []),
            # (anchor, message) pairs for the error summary of the hours, take-off and
            # cancel forms, which have no form object of their own.
            action_errors=kwargs.get("action_errors", []),
            cover=kwargs.get("cover") or selectors_cover(activity=activity),
            incidents=list(activity.incidents.all()),
            started=activity.starts_at <= timezone.now(),
            reason_form=forms.ReasonForm(prefix="cancel"),
        )
        return context

    def post(self, request, pk: int):
        action = request.POST.get("action", "")
        activity, user = self.activity, request.user
        try:
            if action == "roster":
                form = forms.RosterAddForm(
                    request.POST,
                    candidates=selectors.volunteer_candidates_for_activity(
                        user=user, activity=activity
                    ),
                )
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(roster_form=form))
                person = form.cleaned_data["participant"]
                try:
                    services.volunteer_roster_add(
                        activity=activity, participant=person, actor=user
                    )
                except GateRefusedError as exc:
                    refusals = _refuse(form, exc)
                    return self.render_to_response(
                        self.get_context_data(roster_form=form, refusals=refusals)
                    )
                messages.success(request, f"{person.full_name} rostered.")
            elif action == "withdraw":
                entry_id = whole_number(request.POST.get("entry"))
                entry = activity.roster.filter(pk=entry_id).first() if entry_id else None
                if entry is None:
                    return HttpResponse("No such place on the roster", status=400)
                services.volunteer_roster_withdraw(entry=entry, actor=user)
                messages.success(request, f"{entry.participant.full_name} taken off the roster.")
            elif action == "hours":
                register = register_read(request.POST, _active(activity), tick="took-part")
                if register.errors:
                    return self._invalid(register.errors, register=register.rows)
                try:
                    services.volunteer_hours_record(
                        activity=activity, actor=user, marks=register.marks
                    )
                except EngagementError as exc:
                    # Refused as a whole: the register comes back as it was sent.
                    return self._invalid([("roster-heading", str(exc))], register=register.rows)
                messages.success(request, "Hours saved.")
            elif action == "cancel":
                reason = request.POST.get("cancel-reason", "")
                if "\x00" in reason:  # PostgreSQL stores no NUL in text
                    return self._invalid(
                        [("id_cancel-reason", "The reason holds a NUL character: type it again")]
                    )
                services.volunteer_activity_cancel(activity=activity, actor=user, reason=reason)
                messages.success(request, "Activity cancelled.")
            else:
                return HttpResponse("Unknown action", status=400)
        except EngagementError as exc:
            anchor = "id_cancel-reason" if action == "cancel" else "roster-heading"
            return self._invalid([(anchor, str(exc))])
        return redirect(activity.get_absolute_url())

    def _invalid(self, errors: list[tuple[str, str]], register=None):
        """The page again, with what was wrong in its error summary; nothing was saved.
        A register refused for its hours is shown as it was submitted."""
        return self.render_to_response(
            self.get_context_data(action_errors=errors, register=register), status=400
        )


def _active(activity: VolunteerActivity) -> list[ActivityRosterEntry]:
    """The roster less those taken off it: the people whose hours are recorded."""
    return [
        entry
        for entry in selectors.activity_roster(activity=activity)
        if entry.status != ActivityRosterEntry.Status.WITHDRAWN
    ]


def selectors_cover(*, activity: VolunteerActivity):
    """Whether an in-date assessment covers the activity now (the gate's own test)."""
    from .gate import assessment_cover

    return assessment_cover(
        task=activity.task,
        area=activity.area,
        on=max(activity.day, timezone.localdate()),
        event=activity.event,
    )


# Officers: toolkits and loans -------------------------------------------------------------


class ToolkitListView(StaffMixin, TemplateView):
    template_name = "engagement/volunteering/toolkit_list.html"
    STATUSES = [
        ("", "All kits"),
        ("available", "Available"),
        ("on_loan", "On loan"),
        ("overdue", "Overdue"),
        ("out_of_service", "Out of service"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        if status not in dict(self.STATUSES):
            status = ""
        kits = selectors.toolkit_list_for_user(user=self.request.user, status=status)
        context.update(
            page=Paginator(kits, PAGE_SIZE).get_page(self.request.GET.get("page")),
            status=status,
            statuses=self.STATUSES,
            query=urlencode({"status": status}) if status else "",
            today=timezone.localdate(),
        )
        return context


class _ToolkitFormMixin:
    template_name = "engagement/volunteering/toolkit_form.html"

    def kit_form(self, data=None, initial=None):
        return forms.ToolkitForm(
            data,
            initial=initial,
            areas=_areas(self.request.user),
            courses=selectors.training_courses(),
        )

    def items_formset(self, data=None, initial=None):
        return forms.ToolkitItemFormSet(data, initial=initial, prefix="items")

    def render_with(self, form, formset, status=200):
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset, **_errors(form, formset)),
            status=status,
        )

    def with_more_rows(self, formset):
        rows = [f.cleaned_data if f.is_valid() else {} for f in formset.forms]
        return self.items_formset(initial=[*rows, {}, {}])


class ToolkitCreateView(StaffMixin, _ToolkitFormMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        initial = [{"kind": kind, "quantity": 1} for kind in ("litter_picker", "gloves", "hi_vis")]
        return self.render_with(
            self.kit_form(initial={"kind": Toolkit.Kind.SMALL_GROUP, "in_service": True}),
            self.items_formset(initial=[*initial, {}]),
        )

    def post(self, request, *args, **kwargs):
        form, formset = self.kit_form(request.POST), self.items_formset(request.POST)
        if request.POST.get("action") == "add_item":
            form.is_valid()
            formset.is_valid()
            return self.render_with(self.kit_form(request.POST), self.with_more_rows(formset))
        if not (form.is_valid() and formset.is_valid()):
            return self.render_with(form, formset)
        data = dict(form.cleaned_data)
        data.pop("version", None)
        items = [i for i in (f.item_input() for f in formset.forms) if i is not None]
        try:
            toolkit = services.toolkit_create(actor=request.user, data=data, items=items)
        except EngagementError as exc:
            _refuse(form, exc)
            return self.render_with(form, formset)
        messages.success(request, f"{toolkit.code} added.")
        return redirect(toolkit.get_absolute_url())


class _ToolkitObjectMixin(StaffMixin):
    def dispatch(self, request, *args, **kwargs):
        if self.staff_ok(request):
            self.toolkit = _or_404(
                selectors.toolkit_get_for_user, user=request.user, pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["toolkit"] = self.toolkit
        return context


class ToolkitEditView(_ToolkitObjectMixin, _ToolkitFormMixin, TemplateView):
    def initial(self):
        t = self.toolkit
        return {
            "code": t.code,
            "name": t.name,
            "kind": t.kind,
            "home_area": t.home_area,
            "required_training": t.required_training,
            "in_service": t.in_service,
            "notes": t.notes,
            "version": t.version,
        }

    def get(self, request, *args, **kwargs):
        items = [
            {
                "pk": i.pk,
                "kind": i.kind,
                "description": i.description,
                "quantity": i.quantity,
                "condition": i.condition,
            }
            for i in self.toolkit.items.all()
        ]
        return self.render_with(
            self.kit_form(initial=self.initial()), self.items_formset(initial=[*items, {}])
        )

    def post(self, request, *args, **kwargs):
        form, formset = self.kit_form(request.POST), self.items_formset(request.POST)
        if request.POST.get("action") == "add_item":
            form.is_valid()
            formset.is_valid()
            return self.render_with(self.kit_form(request.POST), self.with_more_rows(formset))
        if not (form.is_valid() and formset.is_valid()):
            return self.render_with(form, formset)
        data = dict(form.cleaned_data)
        version = data.pop("version")
        items = [i for i in (f.item_input() for f in formset.forms) if i is not None]
        try:
            services.toolkit_update(
                toolkit=self.toolkit,
                actor=request.user,
                data=data,
                items=items,
                version=version,
            )
        except ValidationError:
            form.add_error(None, "Someone else changed this kit: check it and try again.")
            return self.render_with(form, formset, status=409)
        except EngagementError as exc:
            _refuse(form, exc)
            return self.render_with(form, formset)
        messages.success(request, "Kit saved.")
        return redirect(self.toolkit.get_absolute_url())


class ToolkitDetailView(_ToolkitObjectMixin, TemplateView):
    template_name = "engagement/volunteering/toolkit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        loans = list(self.toolkit.loans.all())
        context.update(
            items=list(self.toolkit.items.all()),
            open_loan=next((loan for loan in loans if loan.returned_on is None), None),
            loans=loans,
            reports=list(
                selectors.activity_report_list_for_user(user=self.request.user).filter(
                    loan__toolkit=self.toolkit
                )[:20]
            ),
        )
        return context


class ToolkitLendView(_ToolkitObjectMixin, FormView):
    """Lend the kit: refused, naming why, to anyone untrained or who has not signed the
    disclaimer in force."""

    template_name = "engagement/volunteering/toolkit_lend.html"
    form_class = forms.LendForm

    def get(self, request, *args, **kwargs):
        # Opened from an older page or a bookmark: the kit's page says where it is.
        unavailable = services.toolkit_unavailable(self.toolkit)
        if unavailable:
            messages.warning(request, " ".join(refusal.message for refusal in unavailable))
            return redirect(self.toolkit.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["holders"] = selectors.loan_holder_candidates(
            user=self.request.user,
            toolkit=self.toolkit,
            disclaimer=self.disclaimer,
            on=timezone.localdate(),
        )
        return kwargs

    @cached_property
    def disclaimer(self):
        return services.disclaimer_in_force()

    def get_initial(self):
        today = timezone.localdate()
        return {"lent_on": _date(today), "due_on": _date(today + timedelta(days=28))}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["disclaimer"] = self.disclaimer
        context.setdefault("refusals", [])
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            loan = services.toolkit_lend(
                toolkit=self.toolkit,
                holder=data["holder"],
                actor=self.request.user,
                lent_on=data["lent_on"],
                due_on=data["due_on"],
                group_name=data["group_name"],
            )
        except EngagementError as exc:
            refusals = _refuse(form, exc)
            return self.render_to_response(self.get_context_data(form=form, refusals=refusals))
        messages.success(
            self.request,
            f"{self.toolkit.code} lent to {loan.holder} "
            f"until {date_format(loan.due_on, 'j F Y')}.",
        )
        return redirect(self.toolkit.get_absolute_url())


class LoanReturnView(StaffMixin, FormView):
    template_name = "engagement/volunteering/loan_return.html"
    form_class = forms.LoanReturnForm

    def dispatch(self, request, *args, **kwargs):
        if self.staff_ok(request):
            self.loan = _or_404(selectors.loan_get_for_user, user=request.user, pk=kwargs["pk"])
            if self.loan.returned_on is not None:
                messages.success(request, "This kit has already come back.")
                return redirect(self.loan.toolkit.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["items"] = self.loan.toolkit.items.all()
        return kwargs

    def get_initial(self):
        return {"returned_on": forms.today_text()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["loan"] = self.loan
        return context

    def form_valid(self, form):
        try:
            services.toolkit_return(
                loan=self.loan,
                actor=self.request.user,
                returned_on=form.cleaned_data["returned_on"],
                conditions=form.conditions(),
                notes=form.cleaned_data["notes"],
            )
        except EngagementError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"{self.loan.toolkit.code} returned.")
        return redirect(self.loan.toolkit.get_absolute_url())


# Activity reports -----------------------------------------------------------------------


class ActivityReportListView(StaffMixin, TemplateView):
    """Every group's reports, where problems recur, and totals by ward (chart and table)."""

    template_name = "engagement/volunteering/activity_report_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        task = None
        task_id = whole_number(self.request.GET.get("task"))
        if task_id is not None:
            task = VolunteerTask.objects.filter(pk=task_id).first()
        reports = selectors.activity_report_list_for_user(
            user=user, filters=selectors.ReportFilters(task=task)
        )
        totals = selectors.activity_report_totals_by_ward(user=user)
        context.update(
            page=Paginator(reports, PAGE_SIZE).get_page(self.request.GET.get("page")),
            task=task,
            tasks=VolunteerTask.objects.allowed(),
            query=f"task={task.pk}" if task else "",
            recurring=selectors.recurring_problems(user=user),
            recurring_days=selectors.RECURRING_DAYS,
            recurring_reports=selectors.RECURRING_REPORTS,
            chart=bar_chart(
                title="Bags of litter collected by ward, last 12 months",
                rows=[(row["ward__name"] or "Unknown", row["bags"] or 0) for row in totals],
                value_heading="Bags",
                label_heading="Ward",
            )
            if totals
            else None,
        )
        return context


class ActivityReportDetailView(StaffMixin, TemplateView):
    template_name = "engagement/volunteering/activity_report_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = _or_404(
            selectors.activity_report_get_for_staff, user=self.request.user, pk=kwargs["pk"]
        )
        return context


class ActivityReportPhotoView(LoginRequiredMixin, View):
    """A photo, for the reporter and for staff for the report's ward only."""

    def get(self, request, pk: int, photo_pk: int):
        report = _or_404(selectors.activity_report_for_photo, user=request.user, pk=pk)
        photo = next((p for p in report.photos.all() if p.pk == photo_pk), None)
        if photo is None:
            raise Http404
        response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
        response["Cache-Control"] = "private, max-age=3600"
        return response


class ActivityReportCreateView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    """A group lead reports what the group did, with photos (Milton Keynes)."""

    permission_required = "engagement.file_activity_report"
    template_name = "engagement/volunteering/activity_report_form.html"
    form_class = forms.ActivityReportForm

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.participant = engagement_selectors.participant_for_user(user=request.user)
        if self.participant is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["tasks"] = VolunteerTask.objects.allowed().active()
        kwargs["loans"] = ToolkitLoan.objects.open().filter(holder=self.participant)
        kwargs["files"] = self.request.FILES or None
        return kwargs

    def get_initial(self):
        loans = ToolkitLoan.objects.open().filter(holder=self.participant)
        return {
            "submission_key": uuid.uuid4(),
            "done_on": forms.today_text(),
            "loan": loans.first(),
            "bags_collected": 0,
            "volunteers": 1,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["prohibited"] = list(VolunteerTask.objects.prohibited().active())
        return context

    def form_valid(self, form):
        photos = photos_from_form(form)
        if form.errors:
            return self.form_invalid(form)
        data = form.cleaned_data
        try:
            report = services.activity_report_create(
                reporter=self.participant,
                draft=services.ActivityReportDraft(
                    task=data["task"],
                    loan=data["loan"],
                    done_on=data["done_on"],
                    place=data["place"],
                    postcode=data["postcode"],
                    bags_collected=data["bags_collected"],
                    volunteers=data["volunteers"],
                    hours=data["hours"],
                    notes=data["notes"],
                    left_for_council=data["left_for_council"],
                ),
                photos=photos,
                submission_key=data["submission_key"],
            )
        except EngagementError as exc:
            _refuse(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, f"Thank you: report {report.reference} sent to the council."
        )
        return redirect("engagement:my_volunteering")


# Incidents --------------------------------------------------------------------------


class IncidentReportView(LoginRequiredMixin, FormView):
    """A volunteer, lead or officer reports an accident, near miss or dangerous find on
    an activity: the risk assessments covering it are reopened for review."""

    template_name = "engagement/volunteering/incident_form.html"
    form_class = forms.IncidentForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.activity = _or_404(
                selectors.activity_for_incident, user=request.user, pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {
            "submission_key": uuid.uuid4(),
            "occurred_at": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["activity"] = self.activity
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            incident = services.incident_report(
                activity=self.activity,
                actor=self.request.user,
                kind=data["kind"],
                occurred_at=data["occurred_at"],
                description=data["description"],
                injury_details=data["injury_details"],
                first_aid_given=data["first_aid_given"],
                submission_key=data["submission_key"],
            )
        except EngagementError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Incident {incident.reference} reported. The council will review the activity's "
            "risk assessment.",
        )
        if self.request.user.has_perm("engagement.view_incident", incident):
            return redirect(incident.get_absolute_url())
        return redirect("engagement:my_volunteering")


class IncidentListView(StaffMixin, TemplateView):
    """Incidents by task and site, and the list (injury details are never listed)."""

    template_name = "engagement/volunteering/incident_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        if status not in ("open", "closed"):
            status = ""
        incidents = selectors.incident_list_for_user(
            user=self.request.user, filters=selectors.IncidentFilters(status=status)
        )
        context.update(
            page=Paginator(incidents, PAGE_SIZE).get_page(self.request.GET.get("page")),
            status=status,
            query=f"status={status}" if status else "",
            by_task_and_site=selectors.incident_counts_by_task_and_site(user=self.request.user),
        )
        return context


class IncidentDetailView(StaffMixin, TemplateView):
    """One incident: reading it (with any injury details, health data) is audited."""

    template_name = "engagement/volunteering/incident_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if self.staff_ok(request):
            self.incident = _or_404(
                selectors.incident_get_for_staff, user=request.user, pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        services.incident_view(incident=self.incident, actor=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["incident"] = self.incident
        context["form"] = kwargs.get("form") or forms.IncidentCloseForm()
        return context

    def post(self, request, pk: int):
        form = forms.IncidentCloseForm(request.POST)
        if form.is_valid():
            try:
                services.incident_close(
                    incident=self.incident,
                    actor=request.user,
                    action_taken=form.cleaned_data["action_taken"],
                )
            except EngagementError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Incident closed.")
                return redirect(self.incident.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


# A volunteer's own pages ----------------------------------------------------------------


class _OwnMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.participant = engagement_selectors.participant_for_user(user=request.user)
        if self.participant is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class MyVolunteeringView(_OwnMixin, TemplateView):
    """A volunteer's or group lead's own page: kit, activities, reports, training."""

    template_name = "engagement/volunteering/my_volunteering.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mine = selectors.my_volunteering(participant=self.participant, user=self.request.user)
        disclaimer = services.disclaimer_in_force()
        context.update(
            mine=mine,
            participant=self.participant,
            disclaimer=disclaimer,
            signed_current=disclaimer is not None
            and any(s.disclaimer_id == disclaimer.pk for s in mine.signatures),
            today=timezone.localdate(),
        )
        return context


class MyDisclaimerView(_OwnMixin, FormView):
    """Read the disclaimer in force and sign it online (typed name, today's date)."""

    template_name = "engagement/volunteering/my_disclaimer.html"
    form_class = forms.DisclaimerSignForm

    def get_initial(self):
        return {"signed_name": self.participant.full_name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        disclaimer = services.disclaimer_in_force()
        context["disclaimer"] = disclaimer
        context["signature"] = (
            self.participant.disclaimer_signatures.filter(disclaimer=disclaimer).first()
            if disclaimer
            else None
        )
        return context

    def form_valid(self, form):
        disclaimer = services.disclaimer_in_force()
        if disclaimer is None:
            form.add_error(None, "There is no disclaimer to sign at the moment.")
            return self.form_invalid(form)
        try:
            services.disclaimer_sign(
                participant=self.participant,
                disclaimer=disclaimer,
                signed_name=form.cleaned_data["signed_name"],
                method="online",
                actor=self.request.user,
            )
        except EngagementError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"Thank you: you signed version {disclaimer.version}.")
        return redirect("engagement:my_volunteering")
