"""The project pages: thin views over projects.selectors (reads) and projects.services
(writes). Every record is looked up within what the person may see (404 otherwise), and
every change needs the change permission (403 otherwise)."""

import json

from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from communities.models import Area
from coproduction.accounts.models import User
from coproduction.accounts.roles import Role
from coproduction.charts import bar_chart
from coproduction.exports import csv_response
from coproduction.forms import conflict_response, form_add_service_errors
from coproduction.versioning import EditConflictError
from engagement.models import Participant
from governance.audit import audit_record
from governance.models import SignOffRequest
from governance.signoffs import signoff_for

from . import forms, selectors, services
from .figures import leverage_display, leverage_ratio
from .filters import ProjectFilterSet
from .gates import SIGNOFF_STAGES
from .models import (
    STAGE_ORDER,
    CoproductionForm,
    FundingLine,
    Indicator,
    LadderRung,
    Measurement,
    Project,
    ProjectDocument,
    RosterEntry,
    stage_after,
    stage_before,
)
from .scope import area_scope_for_changing, area_scope_for_reading
from .threesixtygiving import CSV_HEADER, grant_csv_rows, grants_package

PAGE_SIZE = 25


class RegisterAccessMixin(AccessMixin):
    """Signed in, and holding a role that uses the register (403 for residents)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm("projects.view_project_list"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ProjectAccessMixin(RegisterAccessMixin):
    """Loads `self.project` if the person may see it (404 otherwise, so that nothing is
    learnt about projects elsewhere); with `change_required`, 403 unless they may change
    it."""

    change_required = False

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm("projects.view_project_list"):
            try:
                self.project = selectors.project_get_for_user(user=request.user, pk=kwargs["pk"])
            except Project.DoesNotExist:
                raise Http404 from None
            self.can_change = request.user.has_perm("projects.change_project", self.project)
            if self.change_required and not self.can_change:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["project"] = self.project
        context["can_change"] = self.can_change
        return context


class ServiceFormMixin:
    """A form whose valid data goes to a service: the service's refusal is shown on the
    form (400, nothing saved), as is an edit conflict."""

    def form_valid(self, form):
        try:
            response = self.perform(form)
        except EditConflictError:
            return conflict_response(self, form)
        except ValidationError as error:
            form_add_service_errors(form, error)
            return self.form_invalid(form)
        return response


def _officers_for(user) -> "User":
    return (
        User.objects.filter(
            is_active=True,
            groups__name=Role.OFFICER,
            areas__in=area_scope_for_reading(user=user),
        )
        .distinct()
        .order_by("full_name")
    )


def _filter_areas_for(user):
    return (
        area_scope_for_reading(user=user)
        .filter(kind__in=[Area.Kind.COUNCIL, Area.Kind.AREA, Area.Kind.WARD])
        .order_by("kind", "name")
    )


def _filterset(request):
    return ProjectFilterSet(
        request.GET or None,
        queryset=selectors.project_list_for_user(user=request.user),
        areas=_filter_areas_for(request.user),
        officers=_officers_for(request.user),
    )


# The register -----------------------------------------------------------------------


class ProjectListView(RegisterAccessMixin, TemplateView):
    template_name = "projects/project_list.html"

    def get(self, request, *args, **kwargs):
        filterset = _filterset(request)
        if filterset.is_bound and not filterset.is_valid():
            context = self.get_context_data(filterset=filterset, page_obj=None, stage_counts={})
            return self.render_to_response(context, status=400)
        projects = filterset.qs
        page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
        # Counts by stage over the other filters, so the stage links say what they hold.
        unstaged = request.GET.copy()
        unstaged.pop("stage", None)
        unstaged.pop("page", None)
        base = ProjectFilterSet(
            unstaged or None,
            queryset=selectors.project_list_visible(user=request.user),
            areas=_filter_areas_for(request.user),
            officers=_officers_for(request.user),
        )
        counts = selectors.project_stage_counts(projects=base.qs)
        stage_links = []
        for stage in Project.Stage:
            query = unstaged.copy()
            query["stage"] = stage.value
            stage_links.append(
                {
                    "stage": stage,
                    "count": counts[stage],
                    "query": query.urlencode(),
                    "current": request.GET.get("stage") == stage.value,
                }
            )
        export_query = request.GET.copy()
        export_query.pop("page", None)
        context = self.get_context_data(
            filterset=filterset,
            page_obj=page,
            stage_links=stage_links,
            total=sum(counts.values()),
            page_query=export_query.urlencode(),
            can_add=request.user.has_perm("projects.add_project"),
            can_export_funding=request.user.has_perm("projects.export_funding"),
        )
        return self.render_to_response(context)


class ProjectCreateView(RegisterAccessMixin, ServiceFormMixin, FormView):
    template_name = "projects/project_form.html"
    form_class = forms.ProjectCreateForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("projects.add_project"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["areas"] = (
            area_scope_for_changing(user=self.request.user)
            .filter(kind__in=[Area.Kind.COUNCIL, Area.Kind.AREA, Area.Kind.WARD])
            .order_by("kind", "name")
        )
        kwargs["officers"] = _officers_for(self.request.user)
        if not self.request.user.has_role(Role.ADMINISTRATOR) and "data" not in kwargs:
            kwargs["initial"] = {"lead_officer": self.request.user.pk}
        return kwargs

    def perform(self, form):
        data = form.cleaned_data
        project = services.project_create(
            created_by=self.request.user,
            title=data["title"],
            reference=data.get("reference") or "",
            summary=data["summary"],
            service_area=data["service_area"],
            areas=data["areas"],
            communities=data["communities"],
            forms=data["forms"],
            mode=data["mode"],
            scale=data["scale"],
            ladder_target=data["ladder_target"],
            ladder_actual=data["ladder_actual"],
            lead_officer=data["lead_officer"],
            partner_agencies=data["partner_agencies"],
            planned_start=data["planned_start"],
            planned_end=data["planned_end"],
        )
        messages.success(self.request, f"{project.reference} {project.title} is registered.")
        return redirect(project)


class ProjectDetailView(ProjectAccessMixin, TemplateView):
    template_name = "projects/project_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        page = selectors.project_page(project=self.project)
        context["page"] = page
        context["project"] = page.project
        context["can_see_people"] = user.has_perm("projects.view_project_people", self.project)
        # A member reading the evidence goes on to decide, from here, a pending sign-off
        # that is theirs to decide.
        context["signoffs_to_decide"] = selectors.signoff_ids_to_decide(
            project=self.project, user=user
        )
        context["Stage"] = Project.Stage
        context["stage_order"] = STAGE_ORDER
        context["leverage"] = leverage_display(page.funding.leverage)
        context["assessment_editable"] = page.project.stage in {
            Project.Stage.DESIGN,
            Project.Stage.COMMISSION,
        }
        return context


class ProjectUpdateView(ProjectAccessMixin, ServiceFormMixin, FormView):
    template_name = "projects/project_form.html"
    form_class = forms.ProjectUpdateForm
    change_required = True

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.project
        scope = area_scope_for_changing(user=self.request.user)
        kwargs["areas"] = Area.objects.filter(
            Q(pk__in=scope.filter(kind__in=[Area.Kind.COUNCIL, Area.Kind.AREA, Area.Kind.WARD]))
            | Q(pk__in=self.project.areas.values("pk"))
        ).order_by("kind", "name")
        kwargs["officers"] = User.objects.filter(
            Q(pk__in=_officers_for(self.request.user).values("pk"))
            | Q(pk=self.project.lead_officer_id)
        ).order_by("full_name")
        return kwargs

    def perform(self, form):
        data = form.cleaned_data
        services.project_update(
            project=self.project,
            updated_by=self.request.user,
            expected_version=data["version"],
            areas=data["areas"],
            forms=data["forms"],
            communities=data["communities"],
            partner_agencies=data["partner_agencies"],
            **{name: data[name] for name in services.PROJECT_FIELDS},
        )
        messages.success(self.request, "The project's details are saved.")
        return redirect(self.project)


class ProjectPublishView(ProjectAccessMixin, ServiceFormMixin, FormView):
    template_name = "projects/project_publish.html"
    form_class = forms.PublishForm
    change_required = True

    def get_initial(self) -> dict:
        return {"public_summary": self.project.public_summary, "version": self.project.version}

    def perform(self, form):
        data = form.cleaned_data
        if "unpublish" in self.request.POST:
            services.project_unpublish(
                project=self.project, actor=self.request.user, expected_version=data["version"]
            )
            messages.success(self.request, "The project is no longer on the public pages.")
        else:
            services.project_publish(
                project=self.project,
                actor=self.request.user,
                public_summary=data["public_summary"],
                expected_version=data["version"],
            )
            messages.success(self.request, "The project's public page is published.")
        return redirect(self.project)


# Stages -----------------------------------------------------------------------------


class ProjectStageView(ProjectAccessMixin, ServiceFormMixin, FormView):
    """The gate to the next stage: every condition, met or missing, and the button."""

    template_name = "projects/project_stage.html"
    form_class = forms.AdvanceForm
    change_required = True
    # Set when the gate refused the move: the missing conditions are then the errors.
    gate_refused = False

    def get_initial(self) -> dict:
        return {"to_stage": stage_after(self.project.stage)}

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        page = selectors.project_page(project=self.project)
        context["page"] = page
        label = Project.Stage(page.next_stage).label if page.next_stage else ""
        context["next_stage_label"] = label
        context["gate_refused"] = self.gate_refused
        context["submit_label"] = (
            "Close the project"
            if page.next_stage == Project.Stage.CLOSED
            else f"Move on to {label.lower()}"
        )
        return context

    def perform(self, form):
        try:
            services.project_advance(
                project=self.project,
                actor=self.request.user,
                to_stage=form.cleaned_data["to_stage"],
                note=form.cleaned_data["note"],
            )
        except services.GateNotPassedError:
            self.gate_refused = True
            raise
        self.project.refresh_from_db()
        if self.project.stage == Project.Stage.CLOSED:
            messages.success(self.request, "The project is closed. Its record is kept.")
        else:
            messages.success(
                self.request,
                f"The project moved on to {self.project.get_stage_display().lower()}.",
            )
        return redirect(self.project)


class ProjectReasonView(ProjectAccessMixin, ServiceFormMixin, FormView):
    template_name = "projects/project_reason.html"
    form_class = forms.ReasonForm
    change_required = True
    action = ""

    def get_initial(self) -> dict:
        return {"from_stage": self.project.stage}

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["action"] = self.action
        context["heading"] = self.heading()
        return context


class ProjectMoveBackView(ProjectReasonView):
    action = "back"

    def heading(self) -> str:
        if self.project.stage == Project.Stage.STOPPED:
            return "Restart the project"
        previous = stage_before(self.project.stage)
        if previous is None:
            return "The project is in its first stage"
        return f"Move the project back to {Project.Stage(previous).label.lower()}"

    def perform(self, form):
        services.project_move_back(
            project=self.project,
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
            from_stage=form.cleaned_data["from_stage"],
        )
        self.project.refresh_from_db()
        messages.success(
            self.request, f"The project is back in {self.project.get_stage_display().lower()}."
        )
        return redirect(self.project)


class ProjectStopView(ProjectReasonView):
    action = "stop"

    def heading(self) -> str:
        return "Stop the project"

    def perform(self, form):
        services.project_stop(
            project=self.project, actor=self.request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(self.request, "The project is stopped. Its record is kept.")
        return redirect(self.project)


class GateSignoffRequestView(ProjectAccessMixin, ServiceFormMixin, FormView):
    template_name = "projects/project_signoff.html"
    form_class = forms.SignoffRequestForm
    change_required = True

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["pending"] = selectors.gate_signoff_pending(project=self.project)
        context["needs_signoff"] = self.project.stage in SIGNOFF_STAGES
        return context

    def perform(self, form):
        request = services.project_gate_signoff_request(
            project=self.project,
            requested_by=self.request.user,
            summary=form.cleaned_data["summary"],
            deadline=form.cleaned_data["deadline"],
        )
        messages.success(
            self.request,
            f"The elected members for the project's areas are asked to sign off: "
            f"{request.get_status_display().lower()}.",
        )
        return redirect(self.project)


# Evidence ---------------------------------------------------------------------------


class DocumentCreateView(ProjectAccessMixin, ServiceFormMixin, FormView):
    template_name = "projects/projectdocument_form.html"
    form_class = forms.DocumentForm
    change_required = True

    def get_initial(self) -> dict:
        stage = self.project.stage if self.project.is_open else Project.Stage.EVALUATE
        return {"stage": stage, "kind": ProjectDocument.Kind.DECISION}

    def perform(self, form):
        data = form.cleaned_data
        services.document_create(
            project=self.project,
            recorded_by=self.request.user,
            stage=data["stage"],
            kind=data["kind"],
            title=data["title"],
            summary=data["summary"],
            url=data["url"],
            file=data["file"],
            decided_on=data["decided_on"],
        )
        messages.success(self.request, f"{data['title']} is recorded.")
        return redirect(reverse("projects:detail", args=[self.project.pk]) + "#documents")


class RosterCsvView(ProjectAccessMixin, View):
    """The roster as the project page lists it, as a spreadsheet (a sign-in sheet, the
    hours for a funder): for those the page shows names to, and audited, since it names
    people."""

    def get(self, request, pk):
        if not request.user.has_perm("projects.view_project_people", self.project):
            raise PermissionDenied
        roster = selectors.roster_list_for_project(project=self.project)
        audit_record(
            actor=request.user,
            action="projects.roster.export",
            obj=self.project,
            object_ids=[entry.pk for entry in roster],
        )
        return csv_response(
            filename=f"roster-{self.project.reference}-{timezone.localdate():%Y-%m-%d}.csv",
            header=["Name", "Taking part as", "Role", "Wants to be", "From", "To", "Hours"],
            rows=(
                [
                    str(entry.participant) if entry.participant_id else entry.user.full_name,
                    "Resident" if entry.participant_id else entry.account_role,
                    entry.get_role_display(),
                    entry.get_participation_level_display(),
                    entry.started_on,
                    entry.ended_on,
                    entry.hours,
                ]
                for entry in roster
            ),
        )


class DocumentDownloadView(ProjectAccessMixin, View):
    def get(self, request, pk, document):
        if not request.user.has_perm("projects.view_project_people", self.project):
            raise PermissionDenied
        try:
            doc = self.project.documents.get(pk=document)
        except ProjectDocument.DoesNotExist:
            raise Http404 from None
        if not doc.file:
            raise Http404
        try:
            handle = doc.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, as_attachment=True, filename=doc.file_name or None)


class DocumentDeleteView(ProjectAccessMixin, TemplateView):
    template_name = "projects/projectdocument_confirm_delete.html"
    change_required = True

    def get_document(self) -> ProjectDocument:
        try:
            return self.project.documents.get(pk=self.kwargs["document"])
        except ProjectDocument.DoesNotExist:
            raise Http404 from None

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["document"] = self.get_document()
        return context

    def post(self, request, *args, **kwargs):
        document = self.get_document()
        try:
            services.document_delete(document=document, deleted_by=request.user)
        except ValidationError as error:
            context = self.get_context_data(error=error.messages[0])
            return self.render_to_response(context, status=400)
        messages.success(request, f"{document.title} is removed.")
        return redirect(reverse("projects:detail", args=[self.project.pk]) + "#documents")


# Roster -----------------------------------------------------------------------------


class RosterAddView(ProjectAccessMixin, ServiceFormMixin, FormView):
    """Find a person, then say their role: residents (participants) by name, email or
    reference within the officer's areas; people with accounts where the project is."""

    template_name = "projects/rosterentry_add.html"
    form_class = forms.RosterEntryForm
    change_required = True

    def load_person(self) -> None:
        """The person chosen from the search results, looked up within scope."""
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        participant_id, user_id = source.get("participant"), source.get("user")
        self.person, self.is_resident = None, True
        try:
            if participant_id:
                self.person = selectors.participant_for_roster(
                    user=self.request.user, pk=int(participant_id)
                )
            elif user_id:
                self.person = selectors.account_for_roster(project=self.project, pk=int(user_id))
                self.is_resident = False
        except (ValueError, Participant.DoesNotExist, User.DoesNotExist):
            raise Http404 from None

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["is_resident"] = self.is_resident
        return kwargs

    def get(self, request, *args, **kwargs):
        self.load_person()
        if self.person is not None:
            return super().get(request, *args, **kwargs)
        search = forms.RosterSearchForm(request.GET or None)
        query = search.cleaned_data["q"] if search.is_valid() else ""
        context = self.get_context_data(
            search=search,
            query=query,
            residents=selectors.participant_search(
                user=request.user, project=self.project, query=query
            ),
            accounts=selectors.account_search(project=self.project, query=query),
        )
        return self.render_to_response(context)

    def post(self, request, *args, **kwargs):
        self.load_person()
        if self.person is None:
            raise Http404
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["person"] = self.person
        context["is_resident"] = self.is_resident
        return context

    def perform(self, form):
        data = form.cleaned_data
        entry = services.roster_entry_add(
            project=self.project,
            added_by=self.request.user,
            participant=self.person if self.is_resident else None,
            user=None if self.is_resident else self.person,
            role=data["role"],
            participation_level=data["participation_level"],
            started_on=data["started_on"],
            ended_on=data["ended_on"],
            hours=data["hours"],
        )
        messages.success(
            self.request, f"{self.person} is on the roster as {entry.get_role_display().lower()}."
        )
        return redirect(reverse("projects:detail", args=[self.project.pk]) + "#roster")


class RosterEntryMixin(ProjectAccessMixin):
    change_required = True

    def get_entry(self) -> RosterEntry:
        if not hasattr(self, "_entry"):
            try:
                self._entry = self.project.roster.select_related("participant", "user").get(
                    pk=self.kwargs["entry"]
                )
            except RosterEntry.DoesNotExist:
                raise Http404 from None
            self._entry.project = self.project
        return self._entry

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["entry"] = self.get_entry()
        return context


class RosterUpdateView(RosterEntryMixin, ServiceFormMixin, FormView):
    template_name = "projects/rosterentry_form.html"
    form_class = forms.RosterEntryUpdateForm

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["is_resident"] = self.get_entry().is_resident
        return kwargs

    def get_initial(self) -> dict:
        entry = self.get_entry()
        return {
            "role": entry.role,
            "participation_level": entry.participation_level,
            "started_on": entry.started_on,
            "ended_on": entry.ended_on,
            "hours": entry.hours,
            "version": entry.version,
        }

    def perform(self, form):
        data = form.cleaned_data
        services.roster_entry_update(
            entry=self.get_entry(),
            updated_by=self.request.user,
            expected_version=data["version"],
            role=data["role"],
            participation_level=data["participation_level"],
            started_on=data["started_on"],
            ended_on=data["ended_on"],
            hours=data["hours"],
        )
        messages.success(self.request, "The roster entry is saved.")
        return redirect(reverse("projects:detail", args=[self.project.pk]) + "#roster")


class RosterRemoveView(RosterEntryMixin, TemplateView):
    template_name = "projects/rosterentry_confirm_delete.html"

    def post(self, request, *args, **kwargs):
        entry = self.get_entry()
        services.roster_entry_remove(entry=entry, removed_by=request.user)
        messages.success(request, "The entry is removed from the roster.")
        return redirect(reverse("projects:detail", args=[self.project.pk]) + "#roster")


# Funding ----------------------------------------------------------------------------


class FundingCreateView(ProjectAccessMixin, ServiceFormMixin, FormView):
    template_name = "projects/fundingline_form.html"
    form_class = forms.FundingLineCreateForm
    change_required = True

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["budgets"] = selectors.budget_choices_for_project(project=self.project)
        return kwargs

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["threshold"] = services.spend_signoff_threshold()
        return context

    def perform(self, form):
        data = form.cleaned_data
        line = services.funding_line_create(
            project=self.project,
            created_by=self.request.user,
            source=data["source"],
            amount=data["amount"],
            budget=data["budget"],
            partner_agency=data["partner_agency"],
            funder_name=data["funder_name"],
            description=data["description"],
            is_grant=data["is_grant"],
            recipient_name=data["recipient_name"],
            recipient_charity_number=data["recipient_charity_number"],
            recipient_company_number=data["recipient_company_number"],
            recipient_org_id=data["recipient_org_id"],
        )
        if line.status == FundingLine.Status.AWAITING_SIGNOFF and line.is_devolved:
            messages.success(
                self.request,
                f"£{line.amount:,.2f} from {line.budget} is a funding decision: ask an "
                "elected member to sign it off. The budget holds the money meanwhile.",
            )
        elif line.status == FundingLine.Status.AWAITING_SIGNOFF:
            messages.success(
                self.request,
                f"£{line.amount:,.2f} is over the £{services.spend_signoff_threshold():,.2f} "
                "threshold: it waits for an elected member's sign-off before it is committed.",
            )
        else:
            messages.success(self.request, f"£{line.amount:,.2f} is committed.")
        return redirect(reverse("projects:detail", args=[self.project.pk]) + "#funding")


class FundingLineMixin(ProjectAccessMixin):
    change_required = True

    def get_line(self) -> FundingLine:
        if not hasattr(self, "_line"):
            try:
                self._line = self.project.funding.select_related("budget", "partner_agency").get(
                    pk=self.kwargs["line"]
                )
            except FundingLine.DoesNotExist:
                raise Http404 from None
            self._line.project = self.project
        return self._line

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["line"] = self.get_line()
        return context

    def done(self):
        return redirect(reverse("projects:detail", args=[self.project.pk]) + "#funding")


class FundingUpdateView(FundingLineMixin, ServiceFormMixin, FormView):
    template_name = "projects/fundingline_update.html"
    form_class = forms.FundingLineUpdateForm

    def get_initial(self) -> dict:
        line = self.get_line()
        return {
            "description": line.description,
            "amount": line.amount,
            "spent": line.spent,
            "version": line.version,
        }

    def perform(self, form):
        data = form.cleaned_data
        line = self.get_line()
        asked = signoff_for(subject=line.project, kind=line.signoff_kind, key=line.signoff_key)
        saved = services.funding_line_update(
            line=line,
            updated_by=self.request.user,
            expected_version=data["version"],
            description=data["description"],
            amount=data["amount"],
            spent=data["spent"],
        )
        said = "The funding line is saved."
        if asked is not None and asked.status == SignOffRequest.Status.PENDING:
            # The amount changed while a councillor was asked: say what became of that.
            asked.refresh_from_db(fields=["status"])
            if asked.status == SignOffRequest.Status.WITHDRAWN:
                said += (
                    " Councillors are asked to decide the new amount instead of the old one."
                    if saved.status == FundingLine.Status.AWAITING_SIGNOFF
                    else " The new amount needs no sign-off, so it is committed and the "
                    "councillors' request is withdrawn."
                )
        messages.success(self.request, said)
        return self.done()


class FundingActionView(FundingLineMixin, TemplateView):
    """A confirmation page and its POST: ask for sign-off, commit, or withdraw."""

    template_name = "projects/fundingline_confirm.html"
    action = ""

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["action"] = self.action
        context["threshold"] = services.spend_signoff_threshold()
        return context

    def post(self, request, *args, **kwargs):
        try:
            message = self.perform()
        except ValidationError as error:
            context = self.get_context_data(error=" ".join(error.messages))
            return self.render_to_response(context, status=400)
        messages.success(request, message)
        return self.done()


class FundingSignoffView(FundingActionView):
    action = "signoff"

    def perform(self) -> str:
        line = self.get_line()
        services.funding_line_request_signoff(line=line, requested_by=self.request.user)
        if line.is_devolved:
            return (
                f"The elected members for {line.budget.area} are asked to decide this award. "
                "It is committed once one of them approves it."
            )
        return (
            "The elected members for the project's areas are asked to sign off this spend. "
            "It is committed once one of them approves it."
        )


class FundingCommitView(FundingActionView):
    action = "commit"

    def perform(self) -> str:
        line = services.funding_line_commit(line=self.get_line(), committed_by=self.request.user)
        return f"£{line.amount:,.2f} is committed."


class FundingWithdrawView(FundingActionView):
    action = "withdraw"

    def perform(self) -> str:
        services.funding_line_withdraw(line=self.get_line(), withdrawn_by=self.request.user)
        return "The funding line is withdrawn."


# Outcomes ---------------------------------------------------------------------------

INDICATOR_FORM_FIELDS = services.INDICATOR_FIELDS


class IndicatorFormMixin:
    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "project": self.project}


class IndicatorCreateView(IndicatorFormMixin, ProjectAccessMixin, ServiceFormMixin, FormView):
    template_name = "projects/indicator_form.html"
    form_class = forms.IndicatorForm
    change_required = True

    def get_initial(self) -> dict:
        return {
            "kind": Indicator.Kind.OUTCOME,
            "unit": Indicator.Unit.NUMBER,
            "direction": Indicator.Direction.DOWN,
        }

    def perform(self, form):
        services.indicator_create(
            project=self.project, created_by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, f"{form.cleaned_data['name']} is added.")
        return redirect(reverse("projects:detail", args=[self.project.pk]) + "#outcomes")


class IndicatorMixin(ProjectAccessMixin):
    change_required = True

    def get_indicator(self) -> Indicator:
        if not hasattr(self, "_indicator"):
            try:
                self._indicator = selectors.indicator_for_project(
                    project=self.project, pk=self.kwargs["indicator"]
                )
            except Indicator.DoesNotExist:
                raise Http404 from None
            self._indicator.project = self.project
        return self._indicator

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["indicator"] = self.get_indicator()
        return context

    def done(self):
        return redirect(reverse("projects:detail", args=[self.project.pk]) + "#outcomes")


class IndicatorUpdateView(IndicatorFormMixin, IndicatorMixin, ServiceFormMixin, FormView):
    template_name = "projects/indicator_form.html"
    form_class = forms.IndicatorUpdateForm

    def get_initial(self) -> dict:
        indicator = self.get_indicator()
        initial = {name: getattr(indicator, name) for name in INDICATOR_FORM_FIELDS}
        return {**initial, "version": indicator.version}

    def perform(self, form):
        data = dict(form.cleaned_data)
        services.indicator_update(
            indicator=self.get_indicator(),
            updated_by=self.request.user,
            expected_version=data.pop("version"),
            **data,
        )
        messages.success(self.request, "The indicator is saved.")
        return self.done()


class MeasurementCreateView(IndicatorMixin, ServiceFormMixin, FormView):
    template_name = "projects/measurement_form.html"
    form_class = forms.MeasurementForm

    def get_initial(self) -> dict:
        return {"measured_on": timezone.localdate()}

    def perform(self, form):
        data = form.cleaned_data
        services.measurement_record(
            indicator=self.get_indicator(),
            recorded_by=self.request.user,
            measured_on=data["measured_on"],
            value=data["value"],
            note=data["note"],
        )
        messages.success(self.request, "The reading is recorded.")
        return self.done()


class MeasurementDeleteView(IndicatorMixin, TemplateView):
    template_name = "projects/measurement_confirm_delete.html"

    def get_measurement(self) -> Measurement:
        try:
            return self.get_indicator().measurements.get(pk=self.kwargs["measurement"])
        except Measurement.DoesNotExist:
            raise Http404 from None

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["measurement"] = self.get_measurement()
        return context

    def post(self, request, *args, **kwargs):
        measurement = self.get_measurement()
        measurement.indicator = self.get_indicator()
        services.measurement_delete(measurement=measurement, deleted_by=request.user)
        messages.success(request, "The reading is removed.")
        return self.done()


class AssessmentView(ProjectAccessMixin, ServiceFormMixin, FormView):
    template_name = "projects/commissioningassessment_form.html"
    form_class = forms.AssessmentForm
    change_required = True

    def get_assessment(self):
        return getattr(self.project, "commissioning_assessment", None)

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_assessment()
        if kwargs["instance"] is None:
            kwargs.setdefault("initial", {})["assessed_on"] = timezone.localdate()
        return kwargs

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["editable"] = self.project.stage in {
            Project.Stage.DESIGN,
            Project.Stage.COMMISSION,
        }
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        services.assessment_save(
            project=self.project,
            assessed_by=self.request.user,
            expected_version=version if self.get_assessment() is not None else None,
            **data,
        )
        messages.success(self.request, "The commissioning assessment is saved.")
        return redirect(reverse("projects:detail", args=[self.project.pk]) + "#commissioning")


# Exports and funding overview -------------------------------------------------------


class ProjectCsvView(RegisterAccessMixin, View):
    """The register as CSV, with the page's filters."""

    def get(self, request):
        filterset = _filterset(request)
        if filterset.is_bound and not filterset.is_valid():
            return HttpResponse(
                "The filters are not valid: " + json.dumps(filterset.errors.get_json_data()),
                status=400,
                content_type="text/plain",
            )
        projects = filterset.qs.prefetch_related("communities")
        # Labels translated once, not per row (Django's get_FOO_display re-hashes the
        # choices on every call, which dominates a large export).
        labels = {
            name: {value: str(label) for value, label in choices}
            for name, choices in (
                ("stage", Project.Stage.choices),
                ("mode", Project.Mode.choices),
                ("scale", Project.Scale.choices),
                ("rung", LadderRung.choices),
            )
        }
        form_labels = [(form.value, str(form.label)) for form in CoproductionForm]

        def rows():
            for p in projects.iterator(chunk_size=200):
                ratio = leverage_ratio(devolved=p.devolved_total, levered=p.levered_total)
                yield [
                    p.reference,
                    p.title,
                    labels["stage"][p.stage],
                    p.service_area.name if p.service_area else "",
                    "; ".join(area.name for area in p.areas.all()),
                    "; ".join(c.name for c in p.communities.all()),
                    "; ".join(label for name, label in form_labels if getattr(p, name)),
                    labels["mode"][p.mode],
                    labels["scale"][p.scale],
                    labels["rung"][p.ladder_target],
                    labels["rung"][p.ladder_actual] if p.ladder_actual else "",
                    p.is_tokenistic,
                    p.lead_officer.full_name if p.lead_officer else "",
                    p.roster_count,
                    p.resident_count,
                    p.committed_total,
                    p.devolved_total,
                    p.levered_total,
                    ratio if ratio is not None else "",
                    p.spent_total,
                    p.planned_start,
                    p.planned_end,
                    p.is_published,
                    timezone.localtime(p.updated_at).date(),
                ]

        return csv_response(
            filename=f"projects-{timezone.localdate():%Y-%m-%d}.csv",
            header=[
                "Reference",
                "Title",
                "Stage",
                "Service",
                "Areas",
                "Communities of interest",
                "Forms of co-production",
                "Individual or collective",
                "Pilot or whole service",
                "Ladder target",
                "Ladder reached",
                "Below partnership while claiming co-production",
                "Lead officer",
                "People on roster",
                "Residents on roster",
                "Committed (£)",
                "Devolved budgets committed (£)",
                "Levered money committed (£)",
                "Leverage (£ levered per £1 of devolved budgets)",
                "Spent (£)",
                "Planned start",
                "Planned end",
                "Published",
                "Last updated",
            ],
            rows=rows(),
        )


class FundingExportMixin(RegisterAccessMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("projects.export_funding"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class FundingCsvView(FundingExportMixin, View):
    def get(self, request):
        lines = selectors.funding_line_list_for_user(user=request.user)
        sources = {value: str(label) for value, label in FundingLine.Source.choices}
        statuses = {value: str(label) for value, label in FundingLine.Status.choices}

        def rows():
            for line in lines.iterator(chunk_size=200):
                yield [
                    line.project.reference,
                    line.project.title,
                    sources[line.source],
                    line.funder_label,
                    str(line.budget) if line.budget_id else "",
                    line.description,
                    line.amount,
                    line.spent,
                    statuses[line.status],
                    line.committed_on,
                    line.is_grant,
                    line.recipient_name,
                ]

        return csv_response(
            filename=f"project-funding-{timezone.localdate():%Y-%m-%d}.csv",
            header=[
                "Project reference",
                "Project",
                "Source",
                "Funder",
                "Budget",
                "What it pays for",
                "Amount (£)",
                "Spent (£)",
                "Status",
                "Committed on",
                "Grant",
                "Grant recipient",
            ],
            rows=rows(),
        )


def _grants_for(user):
    return (
        selectors.funding_line_list_for_user(user=user).grants().prefetch_related("project__areas")
    )


class GrantsJsonView(FundingExportMixin, View):
    def get(self, request):
        package = grants_package(_grants_for(request.user))
        response = HttpResponse(
            json.dumps(package, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="grants-360giving-{timezone.localdate():%Y-%m-%d}.json"'
        )
        return response


class GrantsCsvView(FundingExportMixin, View):
    def get(self, request):
        return csv_response(
            filename=f"grants-360giving-{timezone.localdate():%Y-%m-%d}.csv",
            header=CSV_HEADER,
            rows=grant_csv_rows(_grants_for(request.user)),
        )


class LeverageView(RegisterAccessMixin, TemplateView):
    template_name = "projects/funding_leverage.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        rows = selectors.leverage_by_area(user=self.request.user)
        context["rows"] = rows
        context["overall"] = selectors.leverage_overall(user=self.request.user)
        context["chart"] = bar_chart(
            title="Money levered for each £1 of devolved budgets",
            rows=[(row.area.name, float(row.leverage or 0)) for row in rows],
            value_heading="£ levered per £1",
            label_heading="Area",
            fmt="£{:,.2f}",
            summary="Committed funding only. A project serving two areas counts in both.",
        )
        context["can_export_funding"] = self.request.user.has_perm("projects.export_funding")
        return context


# Public pages -----------------------------------------------------------------------


class PublicProjectListView(ListView):
    template_name = "projects/project_public_list.html"
    context_object_name = "projects"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return selectors.project_list_public()


class PublicProjectDetailView(DetailView):
    template_name = "projects/project_public_detail.html"
    context_object_name = "project"

    def get_object(self, queryset=None) -> Project:
        try:
            return selectors.project_get_public(pk=self.kwargs["pk"])
        except Project.DoesNotExist:
            raise Http404 from None

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["page"] = selectors.project_public_page(project=self.object)
        context["stage_order"] = STAGE_ORDER
        return context
