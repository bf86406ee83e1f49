"""Governance pages: thin views over governance.selectors and governance.services."""

import contextlib
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Avg, Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView, View

from communities.models import Area
from coproduction.accounts.models import User
from coproduction.accounts.roles import Role
from coproduction.forms import form_add_service_errors, refusal_response
from coproduction.jobs.models import Job
from coproduction.jobs.services import job_create
from coproduction.numbers import whole_number
from engagement import services as engagement_services
from engagement.models import Participant
from projects.models import Project
from projects.scope import project_list_visible

from . import selectors
from .audit import audit_record
from .forms import (
    AgendaItemForm,
    AppointForm,
    AuditFilterForm,
    BallotForm,
    BoardForm,
    BudgetAwardForm,
    DecisionForm,
    ForumAttendanceForm,
    InterestForm,
    LotteryDrawForm,
    MeetingForm,
    MemberAttendanceForm,
    MembershipEndForm,
    MembershipForm,
    MinutesForm,
    PeriodForm,
    PriorityCycleForm,
    PriorityForm,
    PriorityProjectsForm,
    ReviewForm,
    SeatApplicationForm,
    SeatCallForm,
    SeatQuotaForm,
    SignOffDecisionForm,
    TaskGroupMemberForm,
)
from .jobs import LOTTERY_DRAW
from .models import (
    AgendaItem,
    Ballot,
    BoardMembership,
    LotteryDraw,
    Meeting,
    MemberAttendance,
    Partnership,
    Priority,
    PriorityCycle,
    SeatCall,
    SeatCategory,
    SeatQuota,
    SignOffRequest,
)
from .services import boards, budgets, lottery, meetings, priorities
from .services.errors import ForumTieError
from .services.priorities import priority_is_in_force, priority_ratification
from .signoffs import SignOffRefusedError, signoff_decide, signoff_refusal_reason

AUDIT_PAGE_SIZE = 50


class ServiceFormView(LoginRequiredMixin, FormView):
    """A form page whose valid submission calls one service; a rule the service refuses
    is shown in the error summary and nothing is written."""

    template_name = "governance/form_page.html"
    heading = ""
    caption = ""
    submit_label = "Save"
    intro = ""

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
            return self.form_invalid(form)
        return HttpResponseRedirect(self.get_success_url_for(result))

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.load(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, request, *args, **kwargs) -> None:
        """Find the records the page is about, scoped to the person, before anything else."""

    def get_success_url_for(self, result) -> str:
        """Where a successful submission leads: by default, back where the form came from."""
        return self.back_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            heading=self.heading,
            caption=self.caption,
            submit_label=self.submit_label,
            intro=self.intro,
            back_url=self.back_url(),
        )
        return context

    def back_url(self) -> str:
        return ""


def _partnership_for(request, pk, permission="governance.view_partnership") -> Partnership:
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    visible = Partnership.objects.filter(
        Q(pk__in=selectors.partnership_list_for_user(user=user).values("pk"))
        | Q(pk__in=selectors.partnership_list_for_resident(user=user).values("pk"))
    )
    partnership = get_object_or_404(visible.select_related("area"), pk=pk)
    if not user.has_perm(permission, partnership):
        raise PermissionDenied
    return partnership


def _scoped(request, queryset: QuerySet, pk, *, via: str, permission: str | tuple[str, ...]):
    """A record found through its partnership (`via` is the path to it), if the person
    may see that partnership and holds the permission (or one of them) for it."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    visible = Partnership.objects.filter(
        Q(pk__in=selectors.partnership_list_for_user(user=user).values("pk"))
        | Q(pk__in=selectors.partnership_list_for_resident(user=user).values("pk"))
    )
    record = get_object_or_404(queryset.filter(**{f"{via}__in": visible}), pk=pk)
    partnership = record
    for part in via.split("__"):
        partnership = getattr(partnership, part)
    permissions = (permission,) if isinstance(permission, str) else permission
    if not any(user.has_perm(p, partnership) for p in permissions):
        raise PermissionDenied
    return record, partnership


def _participants_for(partnership: Partnership) -> QuerySet[Participant]:
    local = Area.objects.filter(pk=partnership.area_id).with_descendants()
    return Participant.objects.filter(erased_at__isnull=True, home_ward__in=local).order_by(
        "full_name", "pk"
    )


def _people_for(partnership: Partnership) -> QuerySet[User]:
    area = Area.objects.filter(pk=partnership.area_id)
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(areas__in=area.with_descendants())
            | Q(areas__in=area.with_ancestors())
            | Q(partner_agency__in=partnership.agencies.all())
        )
        .exclude(groups__name=Role.RESIDENT)
        .distinct()
        .order_by("full_name")
    )


# Partnerships and boards ---------------------------------------------------------------


class PartnershipListView(LoginRequiredMixin, TemplateView):
    template_name = "governance/partnership_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            {
                Role.ADMINISTRATOR,
                Role.OFFICER,
                Role.ELECTED_MEMBER,
                Role.BOARD_MEMBER,
                Role.PARTNER_AGENCY,
            }
        ).intersection(request.user.roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["partnerships"] = list(selectors.partnership_list_page(user=self.request.user))
        return context


class PartnershipDetailView(LoginRequiredMixin, TemplateView):
    template_name = "governance/partnership_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        partnership = _partnership_for(self.request, self.kwargs["pk"])
        board = getattr(partnership, "board", None)
        context.update(
            partnership=partnership,
            board=board,
            seat_rows=selectors.seat_rows(board=selectors.board_with_seats(board=board))
            if board
            else [],
            cycles=list(partnership.priority_cycles.order_by("-period_start")),
            meetings=list(selectors.meeting_list_for_partnership(partnership=partnership)[:20]),
            calls=list(board.calls.all()) if board else [],
            budgets=selectors.budget_list_with_totals(
                budgets=selectors.budget_list_for_partnership(partnership=partnership)
            ),
            agencies=list(partnership.agencies.all()),
            category_quorums=[c for c in board.categories.all() if c.quorum] if board else [],
            can_manage=user.has_perm("governance.manage_partnership", partnership),
        )
        return context


class BoardEditView(ServiceFormView):
    form_class = BoardForm
    caption = "Board"
    submit_label = "Save the board"

    def load(self, request, *args, **kwargs) -> None:
        self.partnership = _partnership_for(request, kwargs["pk"], "governance.manage_partnership")
        self.board = getattr(self.partnership, "board", None)
        self.heading = f"{'Change' if self.board else 'Set up'} the board of {self.partnership}"

    def get_initial(self):
        if self.board is None:
            return {"name": f"{self.partnership} board", "quorum": 1}
        initial = {"name": self.board.name, "quorum": self.board.quorum}
        for category in self.board.categories.all():
            initial[f"seats_{category.kind}"] = category.seats
            initial[f"quorum_{category.kind}"] = category.quorum
        return initial

    def perform(self, form):
        data = form.cleaned_data
        seats = {kind.value: data[f"seats_{kind.value}"] for kind in SeatCategory.Kind}
        quorums = {kind.value: data[f"quorum_{kind.value}"] for kind in SeatCategory.Kind}
        user = self.request.user
        if self.board is None:
            return boards.board_create(
                partnership=self.partnership,
                name=data["name"],
                quorum=data["quorum"],
                seats={k: v for k, v in seats.items() if v},
                category_quorums=quorums,
                created_by=user,
            )
        from django.db import transaction

        with transaction.atomic():
            for kind, count in seats.items():
                if count or self.board.categories.filter(kind=kind).exists():
                    boards.board_seats_set(
                        board=self.board,
                        kind=kind,
                        seats=count,
                        quorum=quorums[kind],
                        changed_by=user,
                    )
            return boards.board_update(
                board=self.board, name=data["name"], quorum=data["quorum"], changed_by=user
            )

    def get_success_url_for(self, result) -> str:
        messages.success(self.request, "The board has been saved.")
        return reverse("governance:partnership_detail", args=[self.partnership.pk])

    def back_url(self):
        return reverse("governance:partnership_detail", args=[self.partnership.pk])


class MembershipAddView(ServiceFormView):
    form_class = MembershipForm
    caption = "Board"
    submit_label = "Add to the board"

    def load(self, request, *args, **kwargs) -> None:
        self.partnership = _partnership_for(request, kwargs["pk"], "governance.manage_partnership")
        self.board = getattr(self.partnership, "board", None)
        if self.board is None:
            raise Http404
        self.heading = f"Add a member to {self.board}"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["participants"] = _participants_for(self.partnership)
        kwargs["users"] = _people_for(self.partnership)
        return kwargs

    def get_initial(self):
        return {"term_start": timezone.localdate()}

    def perform(self, form):
        data = form.cleaned_data
        return boards.board_membership_add(
            board=self.board,
            kind=data["category"],
            participant=data["participant"],
            user=data["user"],
            position=data["position"],
            route=data["route"],
            term_start=data["term_start"],
            term_end=data["term_end"],
            added_by=self.request.user,
        )

    def get_success_url_for(self, result) -> str:
        messages.success(self.request, f"{result.person_name} now holds a seat on the board.")
        return reverse("governance:partnership_detail", args=[self.partnership.pk])

    def back_url(self):
        return reverse("governance:partnership_detail", args=[self.partnership.pk])


class MembershipEndView(ServiceFormView):
    form_class = MembershipEndForm
    caption = "Board"
    submit_label = "End the membership"

    def load(self, request, *args, **kwargs) -> None:
        self.membership, self.partnership = _scoped(
            request,
            BoardMembership.objects.select_related("participant", "user", "board__partnership"),
            kwargs["pk"],
            via="board__partnership",
            permission="governance.manage_partnership",
        )
        self.heading = f"End {self.membership.person_name}'s membership"

    def get_initial(self):
        return {"ended_on": timezone.localdate()}

    def perform(self, form):
        return boards.board_membership_end(
            membership=self.membership,
            ended_on=form.cleaned_data["ended_on"],
            ended_by=self.request.user,
        )

    def get_success_url_for(self, result) -> str:
        messages.success(self.request, "The membership has ended and the seat is vacant.")
        return reverse("governance:partnership_detail", args=[self.partnership.pk])

    def back_url(self):
        return reverse("governance:partnership_detail", args=[self.partnership.pk])


# Community seats: open calls and the lottery ------------------------------------------


class SeatCallCreateView(ServiceFormView):
    form_class = SeatCallForm
    caption = "Community seats"
    heading = "Open a call for community members"
    submit_label = "Open the call"

    def load(self, request, *args, **kwargs) -> None:
        self.partnership = _partnership_for(request, kwargs["pk"], "governance.manage_partnership")
        if not hasattr(self.partnership, "board"):
            raise Http404

    def get_initial(self):
        today = timezone.localdate()
        return {"opens_on": today, "closes_on": today + timedelta(days=28)}

    def perform(self, form):
        return lottery.seat_call_create(
            board=self.partnership.board, created_by=self.request.user, **form.cleaned_data
        )

    def get_success_url_for(self, result) -> str:
        return reverse("governance:call_detail", args=[result.pk])

    def back_url(self):
        return reverse("governance:partnership_detail", args=[self.partnership.pk])


def _call_for(request, pk) -> tuple[SeatCall, Partnership]:
    return _scoped(
        request,
        SeatCall.objects.select_related("board__partnership"),
        pk,
        via="board__partnership",
        permission="governance.manage_partnership",
    )


class SeatCallDetailView(LoginRequiredMixin, TemplateView):
    template_name = "governance/seatcall_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        call, partnership = _call_for(self.request, self.kwargs["pk"])
        labels = {
            (dimension, code): label
            for dimension in SeatQuota.Dimension.values
            for code, label in _quota_groups(partnership, dimension)
        }
        quotas = [
            {
                "quota": quota,
                "label": labels.get((quota.dimension, quota.category), quota.category),
            }
            for quota in call.quotas.all()
        ]
        context.update(
            call=call,
            partnership=partnership,
            draws_running=list(
                Job.objects.filter(
                    kind=LOTTERY_DRAW,
                    params__call=call.pk,
                    status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
                )
            ),
            applications=list(call.applications.select_related("participant")),
            quotas=quotas,
            draws=list(call.draws.all()),
        )
        return context


def _quota_groups(partnership: Partnership, dimension: str) -> list[tuple[str, str]]:
    if dimension == SeatQuota.Dimension.WARD:
        wards = Area.objects.filter(pk=partnership.area_id).with_descendants().wards()
        return [(ward.gss_code or str(ward.pk), ward.name) for ward in wards.order_by("name")]
    return lottery.quota_categories(dimension)


class SeatApplicationAddView(ServiceFormView):
    form_class = SeatApplicationForm
    caption = "Community seats"
    heading = "Add an application"
    submit_label = "Add the application"

    def load(self, request, *args, **kwargs) -> None:
        self.call, self.partnership = _call_for(request, kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["participants"] = _participants_for(self.partnership)
        return kwargs

    def perform(self, form):
        return lottery.seat_application_add(
            call=self.call, added_by=self.request.user, **form.cleaned_data
        )

    def get_success_url_for(self, result) -> str:
        messages.success(self.request, "The application has been added.")
        return reverse("governance:call_detail", args=[self.call.pk])

    def back_url(self):
        return reverse("governance:call_detail", args=[self.call.pk])


class SeatQuotaAddView(ServiceFormView):
    form_class = SeatQuotaForm
    caption = "Community seats"
    heading = "Set a quota"
    submit_label = "Save the quota"
    intro = (
        "A quota keeps the panel representative: the fewest and most seats for people of "
        "one group. Groups without a quota may take any number of seats."
    )

    def load(self, request, *args, **kwargs) -> None:
        self.call, self.partnership = _call_for(request, kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        groups = []
        for dimension in SeatQuota.Dimension:
            groups.append(
                (
                    dimension.label,
                    [
                        (f"{dimension.value}:{code}", label)
                        for code, label in _quota_groups(self.partnership, dimension.value)
                    ],
                )
            )
        kwargs["groups"] = groups
        return kwargs

    def perform(self, form):
        dimension, category = form.dimension_and_category()
        return lottery.seat_quota_set(
            call=self.call,
            dimension=dimension,
            category=category,
            min_seats=form.cleaned_data["min_seats"],
            max_seats=form.cleaned_data["max_seats"],
            set_by=self.request.user,
        )

    def back_url(self):
        return reverse("governance:call_detail", args=[self.call.pk])


class LotteryDrawView(ServiceFormView):
    form_class = LotteryDrawForm
    caption = "Community seats"
    heading = "Draw the panel"
    submit_label = "Draw the panel"
    intro = (
        "The draw closes the call. It picks one person per household at most, meets every "
        "quota if it can, and records the seed so that anyone can run it again. It runs in "
        "the background: a large pool can take a few minutes."
    )

    def load(self, request, *args, **kwargs) -> None:
        self.call, self.partnership = _call_for(request, kwargs["pk"])

    def perform(self, form):
        if self.call.status == SeatCall.Status.APPOINTED:
            raise ValidationError("This call's panel has already been appointed.")
        return job_create(
            kind=LOTTERY_DRAW,
            created_by=self.request.user,
            params={"call": self.call.pk, "seed": form.cleaned_data["seed"]},
        )

    def get_success_url_for(self, result) -> str:
        # The worker draws; the job's page shows its progress and the call lists the draw.
        return reverse("jobs:detail", args=[result.pk])

    def back_url(self):
        return reverse("governance:call_detail", args=[self.call.pk])


def _draw_for(request, pk) -> tuple[LotteryDraw, Partnership]:
    return _scoped(
        request,
        LotteryDraw.objects.select_related("call__board__partnership", "drawn_by"),
        pk,
        via="call__board__partnership",
        permission="governance.manage_partnership",
    )


class LotteryDrawDetailView(LoginRequiredMixin, TemplateView):
    template_name = "governance/lotterydraw_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        draw, partnership = _draw_for(self.request, self.kwargs["pk"])
        panel = set(draw.panel)
        labels = {
            (dimension, code): label
            for dimension in SeatQuota.Dimension.values
            for code, label in _quota_groups(partnership, dimension)
        }
        report = [
            {
                **row,
                "label": labels.get((row["dimension"], row["category"]), row["category"]),
                "dimension_label": SeatQuota.Dimension(row["dimension"]).label,
            }
            for row in draw.quota_report
        ]
        context.update(
            draw=draw,
            partnership=partnership,
            report=report,
            selected=list(
                draw.call.applications.filter(pk__in=panel).select_related("participant")
            ),
            appoint_form=AppointForm(initial={"term_start": timezone.localdate()}),
            can_appoint=draw.succeeded and draw.call.status == SeatCall.Status.DRAWN,
        )
        return context


class LotteryAppointView(LotteryDrawDetailView):
    """Give the drawn panel its seats. A date that is not one, or a refusal (the panel
    already appointed), shows the draw again with the error on its form."""

    http_method_names = ["post"]

    def post(self, request, pk):
        draw, _partnership = _draw_for(request, pk)
        form = AppointForm(request.POST)
        if form.is_valid():
            try:
                lottery.lottery_panel_appoint(
                    draw=draw,
                    term_start=form.cleaned_data["term_start"],
                    term_end=form.cleaned_data["term_end"],
                    appointed_by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "The panel now holds its community seats.")
                return HttpResponseRedirect(reverse("governance:call_detail", args=[draw.call_id]))
        context = self.get_context_data()
        context["appoint_form"] = form
        return self.render_to_response(context)


# Priority cycles -------------------------------------------------------------------------


class PriorityCycleCreateView(ServiceFormView):
    form_class = PriorityCycleForm
    caption = "Priorities"
    heading = "Start a priority cycle"
    submit_label = "Start the cycle"

    def load(self, request, *args, **kwargs) -> None:
        self.partnership = _partnership_for(request, kwargs["pk"], "governance.manage_partnership")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["forums"] = self.partnership.meetings.filter(
            kind=Meeting.Kind.FORUM
        ).select_related("event")
        return kwargs

    def get_initial(self):
        today = timezone.localdate()
        return {
            "voting_method": "approval",
            "period_start": today + timedelta(days=30),
            "period_end": today + timedelta(days=120),
        }

    def perform(self, form):
        return priorities.priority_cycle_create(
            partnership=self.partnership, created_by=self.request.user, **form.cleaned_data
        )

    def get_success_url_for(self, result) -> str:
        return reverse("governance:cycle_detail", args=[result.pk])

    def back_url(self):
        return reverse("governance:partnership_detail", args=[self.partnership.pk])


def _cycle_for(request, pk, permission="governance.view_partnership"):
    return _scoped(
        request,
        PriorityCycle.objects.select_related(
            "partnership__area", "partnership__board", "forum__event", "tie_broken_by"
        ),
        pk,
        via="partnership",
        permission=permission,
    )


class PriorityCycleDetailView(LoginRequiredMixin, TemplateView):
    template_name = "governance/prioritycycle_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cycle, partnership = _cycle_for(self.request, self.kwargs["pk"])
        user = self.request.user
        rows = list(
            selectors.priority_list_with_status(
                priorities=priorities.priority_cycle_tally(cycle=cycle)
            )
        )
        reviews = {
            row["pk"]: row
            for row in cycle.priorities.annotate(
                average=Avg("reviews__score"), review_count=Count("reviews")
            ).values("pk", "average", "review_count")
        }
        for row in rows:
            review = reviews.get(row.pk, {})
            row.review_average = review.get("average")
            row.review_count = review.get("review_count", 0)
        ballots = list(cycle.ballots.values("channel").annotate(count=Count("pk")).order_by())
        candidates = sorted(
            (row for row in rows if row.status == Priority.Status.PROPOSED),
            key=lambda row: (row.forum_rank or 0, row.title),
        )
        tie = (
            priorities.forum_tie_at_cut_off(candidates, cycle.adopt_count)
            if cycle.status == PriorityCycle.Status.BOARD_REVIEW
            else None
        )
        context.setdefault("tie_chosen", [])
        context.setdefault("tie_reason", "")
        context.update(
            tie_tied=tie[0] if tie else [],
            tie_places=tie[1] if tie else 0,
            cycle=cycle,
            partnership=partnership,
            rows=rows,
            ballots={b["channel"]: b["count"] for b in ballots},
            ballot_total=sum(b["count"] for b in ballots),
            can_manage=user.has_perm("governance.manage_partnership", partnership),
            can_review=user.has_perm("governance.review_priorities", partnership),
            has_board=hasattr(partnership, "board"),
            next_status=priorities.NEXT_STATUS.get(cycle.status),
            Status=PriorityCycle.Status,
        )
        return context


def _cycle_refusal(view: PriorityCycleDetailView, exc: ValidationError):
    """The cycle's page again with why; a closed cycle's page has no button to link to,
    so its summary links to the cycle's stage."""
    status = PriorityCycle.objects.values_list("status", flat=True).get(pk=view.kwargs["pk"])
    anchor = "cycle-action" if priorities.NEXT_STATUS.get(status) else "cycle-stage"
    return refusal_response(view, exc.messages, anchor=anchor)


class PriorityCycleAdvanceView(PriorityCycleDetailView):
    """Move the cycle to its next stage; a refusal shows the cycle again with why (400)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        cycle, _partnership = _cycle_for(request, pk, "governance.manage_partnership")
        try:
            cycle = priorities.priority_cycle_advance(cycle=cycle, advanced_by=request.user)
        except ValidationError as exc:
            return _cycle_refusal(self, exc)
        messages.success(request, f"The cycle is now at: {cycle.get_status_display()}.")
        return HttpResponseRedirect(reverse("governance:cycle_detail", args=[pk]))


class PriorityCycleAdoptForumResultView(PriorityCycleDetailView):
    """A partnership with no board adopts its forum's top priorities; a refusal shows the
    cycle again with why (400)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        cycle, _partnership = _cycle_for(request, pk, "governance.manage_partnership")
        # Where the forum's vote tied at the cut-off: the tied priorities the meeting chose,
        # and who decided and why.
        # A value that is no record's id reads as 0, which no priority has: refused as not
        # among the tied, never dropped.
        chosen = [whole_number(v) or 0 for v in request.POST.getlist("tie_chosen")]
        reason = request.POST.get("tie_reason", "")
        try:
            adopted = priorities.priority_cycle_adopt_forum_result(
                cycle=cycle, decided_by=request.user, tie_chosen=chosen, tie_reason=reason
            )
        except ForumTieError as exc:
            # The error summary links to the field to put right: the ticks or the reason.
            anchor = "tie-reason" if "tie_reason" in exc.message_dict else "tie-choice"
            return refusal_response(
                self,
                exc.messages,
                anchor=anchor,
                tie_chosen=chosen,
                tie_reason=reason,
                choice_error=anchor == "tie-choice",
                reason_error=anchor == "tie-reason",
            )
        except ValidationError as exc:
            return _cycle_refusal(self, exc)
        count = len(adopted)
        noun = "priority" if count == 1 else "priorities"
        messages.success(request, f"{count} {noun} adopted from the forum's vote.")
        return HttpResponseRedirect(reverse("governance:cycle_detail", args=[pk]))


def participant_for_user(user) -> Participant:
    """The resident's participant profile, made on first use from their account (by the
    engagement app's service), for a resident who proposes or votes before they have one."""
    return engagement_services.participant_for_account(user=user)


class PriorityProposeView(ServiceFormView):
    form_class = PriorityForm
    caption = "Priorities"
    submit_label = "Propose the priority"

    def load(self, request, *args, **kwargs) -> None:
        self.cycle, self.partnership = _cycle_for(
            request, kwargs["pk"], ("governance.manage_partnership", "governance.take_part")
        )
        self.heading = f"Propose a priority for {self.partnership}"
        self.intro = f"{self.cycle.title}: what should the partnership work on?"

    def perform(self, form):
        user = self.request.user
        participant = participant_for_user(user) if user.has_role(Role.RESIDENT) else None
        return priorities.priority_propose(
            cycle=self.cycle,
            participant=participant,
            proposed_by_user=user,
            **form.cleaned_data,
        )

    def get_success_url_for(self, result) -> str:
        messages.success(self.request, f"Thank you: “{result.title}” has been proposed.")
        if self.request.user.has_perm("governance.view_partnership", self.partnership):
            return reverse("governance:cycle_detail", args=[self.cycle.pk])
        return reverse("governance:cycle_open_list")


class OpenCycleListView(LoginRequiredMixin, TemplateView):
    template_name = "governance/prioritycycle_open_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_role(Role.RESIDENT):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        cycles = (
            PriorityCycle.objects.filter(
                partnership__in=selectors.partnership_list_for_resident(user=user),
                status__in=[PriorityCycle.Status.PROPOSING, PriorityCycle.Status.VOTING],
            )
            .select_related("partnership")
            .order_by("period_start")
        )
        voted = set(
            Ballot.objects.filter(participant__user=user, cycle__in=cycles).values_list(
                "cycle_id", flat=True
            )
        )
        context["cycles"] = [{"cycle": c, "voted": c.pk in voted} for c in cycles]
        return context


class BallotView(ServiceFormView):
    """A resident's own online ballot."""

    form_class = BallotForm
    caption = "Vote"
    template_name = "governance/ballot_form.html"
    submit_label = "Cast my vote"

    def load(self, request, *args, **kwargs) -> None:
        if not request.user.has_role(Role.RESIDENT):
            raise PermissionDenied
        self.cycle, self.partnership = _cycle_for(request, kwargs["pk"], "governance.take_part")
        self.heading = f"Vote on {self.partnership}'s priorities"

    def post(self, request, *args, **kwargs):
        if self.cycle.status != PriorityCycle.Status.VOTING:
            # Closed while the ballot was being filled in: say so, as 400, count nothing.
            why = "Voting is not open in this cycle: your vote was not counted."
            return refusal_response(self, [why], anchor="voting-status", form=None)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["cycle"] = self.cycle
        kwargs["priorities"] = self.cycle.priorities.filter(
            status=Priority.Status.PROPOSED
        ).order_by("title")
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cycle"] = self.cycle
        context["already_voted"] = Ballot.objects.filter(
            cycle=self.cycle, participant__user=self.request.user
        ).exists()
        return context

    def perform(self, form):
        return priorities.ballot_cast(
            cycle=self.cycle,
            participant=participant_for_user(self.request.user),
            choices=form.choices(),
            channel=Ballot.Channel.ONLINE,
            cast_by=self.request.user,
        )

    def get_success_url_for(self, result) -> str:
        messages.success(self.request, "Thank you: your vote has been counted.")
        return reverse("governance:cycle_open_list")


class PaperBallotView(BallotView):
    """An officer entering a paper ballot, identified by the form's printed reference."""

    caption = "Paper ballot"
    submit_label = "Enter the ballot"

    def load(self, request, *args, **kwargs) -> None:
        self.cycle, self.partnership = _cycle_for(
            request, kwargs["pk"], "governance.manage_partnership"
        )
        self.heading = f"Enter a paper ballot for {self.cycle.title}"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["paper"] = True
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["already_voted"] = False
        context["paper"] = True
        return context

    @transaction.atomic
    def perform(self, form):
        # A voter known only by the form's reference is made on first sight, and not at
        # all if the ballot is refused.
        try:
            participant, _created = engagement_services.participant_get_or_create_by_reference(
                reference=form.cleaned_data["paper_reference"]
            )
        except engagement_services.EngagementError as exc:
            raise ValidationError(str(exc)) from None
        return priorities.ballot_cast(
            cycle=self.cycle,
            participant=participant,
            choices=form.choices(),
            channel=Ballot.Channel.PAPER,
            cast_by=self.request.user,
            cast_on=form.cleaned_data["cast_on"],
        )

    def get_success_url_for(self, result) -> str:
        messages.success(self.request, "The paper ballot has been entered.")
        return reverse("governance:paper_ballot", args=[self.cycle.pk])


class ReviewView(ServiceFormView):
    """A board member's scores and comments on every priority of the cycle."""

    form_class = ReviewForm
    caption = "Board review"
    template_name = "governance/priorityreview_form.html"
    submit_label = "Save my review"

    def load(self, request, *args, **kwargs) -> None:
        self.cycle, self.partnership = _cycle_for(
            request, kwargs["pk"], "governance.review_priorities"
        )
        self.membership = (
            selectors.board_membership_list_for_user(user=request.user)
            .filter(board__partnership=self.partnership)
            .select_related("board")
            .first()
        )
        if self.membership is None:
            raise PermissionDenied
        self.heading = f"Review {self.cycle.title}"

    def get_form_kwargs(self):
        from django.db.models import Prefetch

        from .models import PriorityReview

        kwargs = super().get_form_kwargs()
        kwargs["priorities"] = (
            priorities.priority_cycle_tally(cycle=self.cycle)
            .filter(status=Priority.Status.PROPOSED)
            .prefetch_related(
                Prefetch(
                    "reviews",
                    queryset=PriorityReview.objects.filter(membership=self.membership),
                    to_attr="own_reviews",
                )
            )
        )
        return kwargs

    @cached_property
    def closed_reason(self) -> str | None:
        """Why no review can be saved in this cycle now, or None while it can (read once
        a request: the refusal and the page shown with it give the same answer)."""
        if self.cycle.status in (PriorityCycle.Status.PROPOSING, PriorityCycle.Status.VOTING):
            return "The board reviews these priorities once the forum's vote is closed"
        if (
            self.cycle.status != PriorityCycle.Status.BOARD_REVIEW
            or not self.cycle.priorities.filter(status=Priority.Status.PROPOSED).exists()
        ):
            return "The board has decided these priorities"
        return None

    def post(self, request, *args, **kwargs):
        closed = self.closed_reason
        if closed is not None:
            # Decided while the review was being filled in: say so, as 400, save nothing.
            why = f"{closed}: your review was not saved."
            return refusal_response(self, [why], anchor="review-status", form=None)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cycle"] = self.cycle
        context["closed"] = self.closed_reason
        return context

    def perform(self, form):
        from django.db import transaction

        with transaction.atomic():
            for priority, score, comment in form.reviews():
                priorities.priority_review_save(
                    priority=priority,
                    membership=self.membership,
                    score=score,
                    comment=comment,
                    saved_by=self.request.user,
                )

    def get_success_url_for(self, result) -> str:
        messages.success(self.request, "Your review has been saved.")
        return reverse("governance:board_member")


def _priority_for(request, pk, permission="governance.view_partnership"):
    return _scoped(
        request,
        Priority.objects.select_related("cycle__partnership__area", "decision__item__meeting"),
        pk,
        via="cycle__partnership",
        permission=permission,
    )


class PriorityDetailView(LoginRequiredMixin, TemplateView):
    template_name = "governance/priority_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        priority, partnership = _priority_for(self.request, self.kwargs["pk"])
        context.update(
            priority=priority,
            partnership=partnership,
            ratification=priority_ratification(priority),
            in_force=priority_is_in_force(priority),
            task_group=list(priority.task_group.select_related("participant", "user")),
            projects=list(priority.projects.order_by("title")),
            reviews=list(
                priority.reviews.select_related(
                    "membership__participant", "membership__user", "membership__category"
                )
            ),
            can_manage=self.request.user.has_perm("governance.manage_partnership", partnership),
        )
        return context


class TaskGroupMemberAddView(ServiceFormView):
    form_class = TaskGroupMemberForm
    caption = "Task-and-finish group"
    submit_label = "Add to the group"

    def load(self, request, *args, **kwargs) -> None:
        self.priority, self.partnership = _priority_for(
            request, kwargs["pk"], "governance.manage_partnership"
        )
        self.heading = f"Add someone to the task-and-finish group for “{self.priority}”"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["participants"] = _participants_for(self.partnership)
        kwargs["users"] = _people_for(self.partnership)
        return kwargs

    def perform(self, form):
        return priorities.task_group_member_add(
            priority=self.priority, added_by=self.request.user, **form.cleaned_data
        )

    def back_url(self):
        return reverse("governance:priority_detail", args=[self.priority.pk])


class PriorityProjectsView(ServiceFormView):
    form_class = PriorityProjectsForm
    caption = "Projects"
    submit_label = "Save the projects"

    def load(self, request, *args, **kwargs) -> None:
        self.priority, self.partnership = _priority_for(
            request, kwargs["pk"], "governance.manage_partnership"
        )
        self.heading = f"Projects that deliver “{self.priority}”"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["projects"] = selectors.project_list_for_areas(
            areas=Area.objects.filter(pk=self.partnership.area_id)
        )
        return kwargs

    def get_initial(self):
        return {"projects": list(self.priority.projects.all())}

    def perform(self, form):
        return priorities.priority_projects_set(
            priority=self.priority,
            projects=form.cleaned_data["projects"],
            changed_by=self.request.user,
        )

    def back_url(self):
        return reverse("governance:priority_detail", args=[self.priority.pk])


# Meetings -----------------------------------------------------------------------------


class MeetingCreateView(ServiceFormView):
    form_class = MeetingForm
    caption = "Meetings"
    heading = "Arrange a forum or board meeting"
    submit_label = "Arrange the meeting"

    def load(self, request, *args, **kwargs) -> None:
        self.partnership = _partnership_for(request, kwargs["pk"], "governance.manage_partnership")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["cycles"] = self.partnership.priority_cycles.exclude(
            status=PriorityCycle.Status.CLOSED
        )
        return kwargs

    def perform(self, form):
        return meetings.meeting_create(
            partnership=self.partnership, created_by=self.request.user, **form.cleaned_data
        )

    def get_success_url_for(self, result) -> str:
        return reverse("governance:meeting_detail", args=[result.pk])

    def back_url(self):
        return reverse("governance:partnership_detail", args=[self.partnership.pk])


def _meeting_for(request, pk, permission="governance.view_partnership"):
    return _scoped(
        request,
        Meeting.objects.select_related("event", "partnership__area"),
        pk,
        via="partnership",
        permission=permission,
    )


class MeetingDetailView(LoginRequiredMixin, TemplateView):
    template_name = "governance/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting, partnership = _meeting_for(self.request, self.kwargs["pk"])
        meeting = selectors.meeting_detail(
            meeting_id=meeting.pk, partnerships=Partnership.objects.filter(pk=partnership.pk)
        )
        user = self.request.user
        published = meeting.minutes_published_at
        quorum = (
            meetings.meeting_quorum(meeting=meeting)
            if meeting.kind == Meeting.Kind.BOARD and hasattr(partnership, "board")
            else None
        )
        attendance = list(
            meeting.member_attendance.select_related(
                "membership__participant", "membership__user", "membership__category"
            )
        )
        context.update(
            meeting=meeting,
            partnership=partnership,
            quorum=quorum,
            attendance=attendance,
            public_attendance=meeting.event.attendances.filter(status="attended").count(),
            can_manage=user.has_perm("governance.manage_partnership", partnership),
            # Published minutes are the record: nothing is added to the meeting after them.
            can_add=published is None
            and user.has_perm("governance.manage_partnership", partnership),
            can_record=published is None
            and user.has_perm("governance.record_decisions", partnership),
            can_declare=published is None
            and user.has_perm("governance.declare_interest", partnership),
        )
        return context


class AgendaItemAddView(ServiceFormView):
    form_class = AgendaItemForm
    caption = "Agenda"
    submit_label = "Add the item"

    def load(self, request, *args, **kwargs) -> None:
        self.meeting, self.partnership = _meeting_for(
            request, kwargs["pk"], "governance.manage_partnership"
        )
        self.heading = f"Add an agenda item to {self.meeting.title}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["multipart"] = True
        return context

    def perform(self, form):
        return meetings.agenda_item_add(
            meeting=self.meeting, added_by=self.request.user, **form.cleaned_data
        )

    def back_url(self):
        return reverse("governance:meeting_detail", args=[self.meeting.pk])


class MemberAttendanceView(ServiceFormView):
    form_class = MemberAttendanceForm
    caption = "Attendance"
    submit_label = "Save attendance"

    def load(self, request, *args, **kwargs) -> None:
        self.meeting, self.partnership = _meeting_for(
            request, kwargs["pk"], "governance.record_decisions"
        )
        if self.meeting.kind != Meeting.Kind.BOARD:
            raise Http404
        self.heading = f"Board members at {self.meeting.title}"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["memberships"] = (
            BoardMembership.objects.filter(
                board__partnership=self.partnership, status=BoardMembership.Status.CURRENT
            )
            .select_related("participant", "user", "category")
            .order_by("category__kind", "seat__number")
        )
        kwargs["current"] = dict(
            self.meeting.member_attendance.values_list("membership_id", "status")
        )
        return kwargs

    def perform(self, form):
        return meetings.member_attendance_set(
            meeting=self.meeting, statuses=form.statuses(), recorded_by=self.request.user
        )

    def back_url(self):
        return reverse("governance:meeting_detail", args=[self.meeting.pk])


class ForumAttendanceView(ServiceFormView):
    form_class = ForumAttendanceForm
    caption = "Attendance"
    submit_label = "Record attendance"

    def load(self, request, *args, **kwargs) -> None:
        self.meeting, self.partnership = _meeting_for(
            request, kwargs["pk"], "governance.manage_partnership"
        )
        self.heading = f"Record a resident at {self.meeting.title}"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["participants"] = _participants_for(self.partnership)
        return kwargs

    def perform(self, form):
        return meetings.meeting_attendance_record(
            meeting=self.meeting,
            participant=form.cleaned_data["participant"],
            attended=form.cleaned_data["attended"],
            recorded_by=self.request.user,
        )

    def get_success_url_for(self, result) -> str:
        messages.success(self.request, "Attendance recorded.")
        return reverse("governance:forum_attendance", args=[self.meeting.pk])

    def back_url(self):
        return reverse("governance:meeting_detail", args=[self.meeting.pk])


def _item_for(request, pk, permission="governance.record_decisions"):
    return _scoped(
        request,
        AgendaItem.objects.select_related("meeting__event", "meeting__partnership"),
        pk,
        via="meeting__partnership",
        permission=permission,
    )


class AgendaPaperView(LoginRequiredMixin, View):
    """An agenda item's paper, for those who may read the partnership; a public item's
    paper for anyone once the minutes are published."""

    def get(self, request, pk):
        item = AgendaItem.objects.select_related("meeting__partnership").filter(pk=pk).first()
        if item is None or not item.paper:
            raise Http404
        published = item.is_public and item.meeting.minutes_published_at is not None
        if not published:
            item, _partnership = _item_for(request, pk, "governance.view_partnership")
        name = item.paper.name.rsplit("/", 1)[-1]
        return FileResponse(item.paper.open("rb"), as_attachment=True, filename=name)


class InterestDeclareView(ServiceFormView):
    form_class = InterestForm
    caption = "Declarations of interest"
    submit_label = "Record the declaration"

    def load(self, request, *args, **kwargs) -> None:
        self.item, self.partnership = _item_for(
            request, kwargs["pk"], "governance.declare_interest"
        )
        self.heading = f"Declare an interest in item {self.item}"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        members = BoardMembership.objects.filter(
            board__partnership=self.partnership, status=BoardMembership.Status.CURRENT
        ).select_related("participant", "user", "category")
        user = self.request.user
        if not user.has_perm("governance.manage_partnership", self.partnership):
            # A member declares their own interests.
            members = members.filter(Q(user=user) | Q(participant__user=user))
        kwargs["memberships"] = members
        return kwargs

    def perform(self, form):
        return meetings.interest_declare(
            item=self.item, declared_by=self.request.user, **form.cleaned_data
        )

    def back_url(self):
        return reverse("governance:meeting_detail", args=[self.item.meeting_id])


class DecisionRecordView(ServiceFormView):
    form_class = DecisionForm
    caption = "Decisions"
    template_name = "governance/decision_form.html"
    submit_label = "Record the decision"

    def load(self, request, *args, **kwargs) -> None:
        self.item, self.partnership = _item_for(request, kwargs["pk"])
        self.heading = f"Record a decision on item {self.item}"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        present = (
            BoardMembership.objects.filter(
                meetings.sat_on_the_day(self.item.meeting),
                attendance__meeting=self.item.meeting,
                attendance__status=MemberAttendance.Status.PRESENT,
            )
            .select_related("participant", "user", "category")
            .order_by("category__kind", "seat__number")
        )
        kwargs["present"] = present
        kwargs["interested"] = set(self.item.declarations.values_list("membership_id", flat=True))
        kwargs["priorities"] = Priority.objects.filter(
            cycle__partnership=self.partnership,
            cycle__status=PriorityCycle.Status.BOARD_REVIEW,
            status=Priority.Status.PROPOSED,
        ).select_related("cycle")
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["quorum"] = meetings.meeting_quorum(meeting=self.item.meeting)
        context["item"] = self.item
        return context

    def perform(self, form):
        data = form.cleaned_data
        return meetings.decision_record(
            item=self.item,
            motion=data["motion"],
            proposer=data["proposer"],
            seconder=data["seconder"],
            votes=form.votes(),
            priority=data["priority"],
            effect=data["effect"],
            recorded_by=self.request.user,
        )

    def get_success_url_for(self, result) -> str:
        messages.success(self.request, f"The motion was {result.get_outcome_display().lower()}.")
        return reverse("governance:meeting_detail", args=[self.item.meeting_id])

    def back_url(self):
        return reverse("governance:meeting_detail", args=[self.item.meeting_id])


class MinutesEditView(ServiceFormView):
    form_class = MinutesForm
    caption = "Minutes"
    template_name = "governance/minutes_form.html"
    submit_label = "Save the minutes"

    def load(self, request, *args, **kwargs) -> None:
        self.meeting, self.partnership = _meeting_for(
            request, kwargs["pk"], "governance.manage_partnership"
        )
        self.heading = f"Minutes of {self.meeting.title}"

    def get_initial(self):
        return {"minutes": self.meeting.minutes}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meeting"] = self.meeting
        return context

    def perform(self, form):
        return meetings.minutes_save(
            meeting=self.meeting, minutes=form.cleaned_data["minutes"], saved_by=self.request.user
        )

    def get_success_url_for(self, result) -> str:
        messages.success(self.request, "The minutes have been saved.")
        return reverse("governance:minutes_edit", args=[self.meeting.pk])

    def back_url(self):
        return reverse("governance:meeting_detail", args=[self.meeting.pk])


class MinutesPublishView(MinutesEditView):
    """Publish the minutes; a refusal shows the minutes page again with why (400)."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        # A GET is refused as a method before the page's records are looked up.
        allowed = request.method.lower() in self.http_method_names
        if request.user.is_authenticated and not allowed:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk):
        try:
            meetings.minutes_publish(meeting=self.meeting, published_by=request.user)
        except ValidationError as exc:
            form = self.get_form_class()(initial=self.get_initial())
            # Answered at the publish address: the minutes form still saves the minutes,
            # and with none written yet there is no button, so the summary links the box.
            return refusal_response(
                self,
                exc.messages,
                anchor="publish-minutes" if self.meeting.minutes else "id_minutes",
                form=form,
                form_action=reverse("governance:minutes_edit", args=[pk]),
            )
        messages.success(request, "The minutes are published.")
        return HttpResponseRedirect(reverse("governance:minutes_public", args=[pk]))


class PublishedMinutesListView(TemplateView):
    """Published minutes: anyone may read them, signed in or not."""

    template_name = "governance/minutes_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meetings"] = list(selectors.meeting_list_published()[:200])
        return context


class PublishedMinutesView(TemplateView):
    template_name = "governance/minutes_public.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        from django.db.models import Count, Prefetch

        from .models import Decision

        meeting = get_object_or_404(
            selectors.meeting_list_published().prefetch_related(
                Prefetch(
                    "items",
                    queryset=AgendaItem.objects.filter(is_public=True)
                    .annotate(
                        declared=Count("declarations", distinct=True),
                        withdrew=Count(
                            "declarations", filter=Q(declarations__withdrew=True), distinct=True
                        ),
                    )
                    .prefetch_related(
                        Prefetch("decisions", queryset=Decision.objects.select_related("priority"))
                    ),
                )
            ),
            pk=self.kwargs["pk"],
        )
        context["meeting"] = meeting
        context["present"] = meeting.member_attendance.filter(
            status=MemberAttendance.Status.PRESENT
        ).count()
        return context


# Elected members ------------------------------------------------------------------------


class CouncillorView(LoginRequiredMixin, TemplateView):
    """A councillor's page: sign-offs waiting for them, their wards' projects, budgets and
    priorities. A fixed number of queries, whatever the number of rows."""

    template_name = "governance/councillor.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(
            "governance.view_councillor_page"
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        wards = selectors.ward_list_for_member(user=user)
        today = timezone.localdate()
        requests = list(selectors.signoff_list_for_member(user=user))
        context.update(
            requests=requests,
            overdue=sum(1 for r in requests if r.deadline and r.deadline < today),
            today=today,
            wards=list(wards),
            projects=list(
                selectors.project_list_for_areas(areas=user.areas.all()).prefetch_related("areas")
            ),
            budgets=list(selectors.budget_list_for_member(user=user)),
            priorities=list(
                selectors.priority_list_with_status(
                    priorities=selectors.priority_list_for_areas(areas=user.areas.all())
                )
            ),
        )
        return context


def _request_for(request, pk) -> SignOffRequest:
    """A request the person may read: one of their areas', or one they may decide."""
    user = request.user
    visible = SignOffRequest.objects.filter(
        Q(pk__in=selectors.signoff_list_visible(user=user).values("pk"))
        | Q(pk__in=selectors.signoff_list_for_member(user=user).values("pk"))
    )
    return get_object_or_404(
        visible.select_related("requested_by", "decided_by", "subject_type"), pk=pk
    )


def _signoff_subject_link(user, signoff: SignOffRequest) -> tuple[str, str] | None:
    """Where the member reads what they are asked to approve (the project with its
    evidence and funding, or the priority), if they may open it."""
    subject = signoff.subject
    if (
        isinstance(subject, Project)
        and project_list_visible(user=user).filter(pk=subject.pk).exists()
    ):
        return subject.get_absolute_url(), f"The project: {subject}"
    if isinstance(subject, Priority) and user.has_perm(
        "governance.view_partnership", subject.cycle.partnership
    ):
        url = reverse("governance:priority_detail", args=[subject.pk])
        return url, f"The priority: {subject.title}"
    return None


class SignOffDecideView(ServiceFormView):
    form_class = SignOffDecisionForm
    caption = "Sign-off"
    template_name = "governance/signoffrequest_decide.html"
    submit_label = "Record my decision"

    def load(self, request, *args, **kwargs) -> None:
        if not (
            {Role.ELECTED_MEMBER, Role.OFFICER, Role.ADMINISTRATOR}.intersection(
                request.user.roles
            )
        ):
            raise PermissionDenied
        self.signoff = _request_for(request, kwargs["pk"])
        self.heading = self.signoff.get_kind_display()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["signoff"] = self.signoff
        context["areas"] = list(self.signoff.areas.all())
        context["subject_link"] = _signoff_subject_link(self.request.user, self.signoff)
        context["refusal"] = signoff_refusal_reason(user=self.request.user, request=self.signoff)
        context["today"] = timezone.localdate()
        return context

    def post(self, request, *args, **kwargs):
        reason = signoff_refusal_reason(user=request.user, request=self.signoff)
        if reason is not None:
            # The form is not offered; a crafted POST is refused (and audited) by the service.
            with contextlib.suppress(SignOffRefusedError):
                signoff_decide(
                    request=self.signoff, decided_by=request.user, approve=True, comment="-"
                )
            if self.signoff.status != SignOffRequest.Status.PENDING:
                # Decided (or withdrawn) while this member was deciding: the page again,
                # with who decided it and the comment they wrote, as 400.
                return refusal_response(
                    self,
                    [reason],
                    anchor="signoff-status",
                    form=self.get_form(),
                    unrecorded_comment=request.POST.get("comment", "").strip(),
                )
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        return signoff_decide(
            request=self.signoff,
            decided_by=self.request.user,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
        )

    def get_success_url_for(self, result) -> str:
        messages.success(self.request, f"Request {result.get_status_display().lower()}.")
        return reverse("governance:councillor")


class BudgetAwardCreateView(ServiceFormView):
    form_class = BudgetAwardForm
    caption = "Budgets"
    heading = "Propose an award from a budget"
    submit_label = "Ask for sign-off"
    intro = (
        "An elected member for the budget's area decides the award (never a councillor for "
        "their own neighbourhood budget). The budget holds the money until then; approved, "
        "it is committed. Match funding the project brings in is recorded on the project's "
        "funding page: it is what the award levers."
    )

    def load(self, request, *args, **kwargs) -> None:
        self.partnership = _partnership_for(request, kwargs["pk"], "governance.manage_partnership")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        local = Area.objects.filter(pk=self.partnership.area_id)
        kwargs["budgets"] = selectors.budget_list_for_awards(partnership=self.partnership)
        kwargs["projects"] = selectors.project_list_for_awards(areas=local)
        return kwargs

    def perform(self, form):
        return budgets.budget_award_propose(requested_by=self.request.user, **form.cleaned_data)

    def get_success_url_for(self, result) -> str:
        messages.success(
            self.request,
            f"£{result.amount:,.2f} from {result.budget} is waiting for an elected member's "
            "decision.",
        )
        return reverse("governance:partnership_detail", args=[self.partnership.pk])

    def back_url(self):
        return reverse("governance:partnership_detail", args=[self.partnership.pk])


# Board members -------------------------------------------------------------------------


class BoardMemberView(LoginRequiredMixin, TemplateView):
    """A board member's page: this cycle's priorities with the forum's votes, their own
    review, and the status of every adopted priority."""

    template_name = "governance/board_member.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(
            "governance.view_board_member_page"
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["panels"] = selectors.board_member_panels(user=self.request.user)
        context["Status"] = PriorityCycle.Status
        return context


# Cabinet update ------------------------------------------------------------------------


def _period(request) -> tuple[date, date, PeriodForm]:
    today = timezone.localdate()
    default_start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    default_start = (default_start - timedelta(days=1)).replace(day=1)
    form = PeriodForm(request.GET or None, initial={"start": default_start, "end": today})
    if request.GET and form.is_valid():
        return form.cleaned_data["start"], form.cleaned_data["end"], form
    return default_start, today, form


class CabinetUpdateView(LoginRequiredMixin, TemplateView):
    """The bi-monthly update to cabinet for one partnership: printable HTML."""

    template_name = "governance/cabinet_update.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partnership = _partnership_for(self.request, self.kwargs["pk"])
        if self.request.user.has_role(Role.RESIDENT) and not self.request.user.has_perm(
            "governance.view_partnership", partnership
        ):
            raise PermissionDenied
        start, end, form = _period(self.request)
        context.update(
            form=form,
            update=selectors.cabinet_update(partnership=partnership, start=start, end=end),
            pdf_url=reverse("governance:cabinet_update_pdf", args=[partnership.pk])
            + (f"?{self.request.GET.urlencode()}" if self.request.GET else ""),
        )
        return context


class CabinetUpdatePdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        import weasyprint

        partnership = _partnership_for(request, pk)
        start, end, form = _period(request)
        if request.GET and not form.is_valid():
            return HttpResponse("Enter a valid period.", status=400, content_type="text/plain")
        update = selectors.cabinet_update(partnership=partnership, start=start, end=end)
        html = render_to_string(
            "governance/cabinet_update_pdf.html", {"update": update}, request=request
        )
        pdf = weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"cabinet-update-{partnership.pk}-{start:%Y%m%d}-{end:%Y%m%d}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


# Audit trail ---------------------------------------------------------------------------


class AuditTrailView(LoginRequiredMixin, TemplateView):
    """The audit trail, filtered, for administrators and auditors."""

    template_name = "governance/auditevent_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(
            "governance.read_audit_trail"
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = AuditFilterForm(
            self.request.GET or None, object_types=selectors.audit_object_type_choices()
        )
        filters = selectors.AuditFilters()
        if self.request.GET and form.is_valid():
            filters = selectors.AuditFilters(
                **{k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            )
        page = Paginator(selectors.audit_event_list(filters=filters), AUDIT_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(form=form, page=page, query=query.urlencode())
        audit_record(
            actor=self.request.user,
            action="audit_trail.read",
            object_type="governance.auditevent",
            object_ids=[event.pk for event in page.object_list],
        )
        return context
