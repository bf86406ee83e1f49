"""Pages of the engagement app: thin views over the services and selectors."""

import json
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import (
    BadRequest,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views import View
from django.views.generic import FormView, TemplateView

from communities.models import Area
from communities.postcodes import postcode_locate
from coproduction.accounts.selectors import area_list_for_user
from coproduction.charts import bar_chart
from coproduction.exports import csv_response
from coproduction.forms import conflict_response, refusal_response
from coproduction.jobs.services import job_create
from coproduction.numbers import whole_number
from coproduction.privacy import DataSubject

from . import forms, selectors, services
from .locations import area_centre
from .models import Attendance, Event, IssueCategory, IssueReport, Participant, StreetChampion
from .photos import photos_from_form
from .privacy import export_rows_for_csv
from .registers import register_read, register_saved

SIGNUP_SESSION = "engagement.champion_signup"
REPORT_SESSION = "engagement.report_draft"
PAGE_SIZE = 50


class StaffMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Council officers and administrators: the 'engagement.manage' rule."""

    permission_required = "engagement.manage"


class FiguresMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "engagement.view_area_figures"


def _scoped_or_404(getter, **kwargs):
    try:
        return getter(**kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None


# Street champion sign-up (public) -----------------------------------------------------


STEP_NAMES = [name for name, _title, _form in forms.CHAMPION_STEPS]
STEP_FORMS = {name: form for name, _title, form in forms.CHAMPION_STEPS}
STEP_TITLES = {name: title for name, title, _form in forms.CHAMPION_STEPS}


def _signup_state(request) -> dict:
    state = request.session.get(SIGNUP_SESSION)
    if not state:
        state = {"key": str(uuid.uuid4()), "steps": {}}
        request.session[SIGNUP_SESSION] = state
    return state


def _bound(form_class, stored: dict | None):
    if stored is None:
        return None
    data = QueryDict(mutable=True)
    for key, values in stored.items():
        data.setlist(key, values)
    return form_class(data)


class ChampionStartView(TemplateView):
    template_name = "engagement/champion_start.html"


class ChampionStepView(FormView):
    """One question page of the sign-up; answers are kept in the session until the
    check-your-answers page submits them all."""

    template_name = "engagement/champion_step.html"

    def dispatch(self, request, *args, **kwargs):
        self.step = kwargs["step"]
        if self.step not in STEP_FORMS:
            raise Http404
        state = _signup_state(request)
        index = STEP_NAMES.index(self.step)
        # Questions are answered in order: a page further on is not reachable first.
        for earlier in STEP_NAMES[:index]:
            if earlier not in state["steps"]:
                return redirect("engagement:champion_step", step=earlier)
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return STEP_FORMS[self.step]

    def get_form(self, form_class=None):
        form_class = self.get_form_class()
        if self.request.method == "POST":
            return form_class(self.request.POST)
        stored = _signup_state(self.request)["steps"].get(self.step)
        bound = _bound(form_class, stored)
        if bound is not None:
            bound.is_valid()
            return form_class(initial=bound.cleaned_data)
        return form_class(initial=self.known_answers())

    def known_answers(self) -> dict:
        """A resident signed in is asked again only what the council does not already
        hold: their details, where they live and how involved they want to be start as
        their record has them, to keep or change."""
        participant = selectors.participant_for_user(user=self.request.user)
        if participant is None:
            return {}
        fields = {
            "contact": [
                "full_name",
                "email",
                "phone",
                "preferred_channels",
                *forms.ADDRESS_FIELDS,
            ],
            "postcode": ["postcode"],
            "level": ["participation_level", "accessibility_needs"],
        }.get(self.step, [])
        known = {name: getattr(participant, name) for name in fields}
        if self.step == "contact":
            known["email"] = known["email"] or self.request.user.email
        return {name: value for name, value in known.items() if value}

    def form_valid(self, form):
        state = _signup_state(self.request)
        state["steps"][self.step] = {name: self.request.POST.getlist(name) for name in form.fields}
        self.request.session.modified = True
        index = STEP_NAMES.index(self.step)
        if self.request.GET.get("change") or index == len(STEP_NAMES) - 1:
            return redirect("engagement:champion_check")
        return redirect("engagement:champion_step", step=STEP_NAMES[index + 1])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        index = STEP_NAMES.index(self.step)
        context.update(
            step=self.step,
            title=STEP_TITLES[self.step],
            number=index + 1,
            total=len(STEP_NAMES),
            back_url=(
                reverse("engagement:champion_step", args=[STEP_NAMES[index - 1]])
                if index
                else reverse("engagement:champion_start")
            ),
        )
        return context


def _signup_forms(request) -> dict | None:
    """Every step's form, bound and valid, or None when a step is missing or stale."""
    state = request.session.get(SIGNUP_SESSION) or {}
    bound = {}
    for name in STEP_NAMES:
        form = _bound(STEP_FORMS[name], state.get("steps", {}).get(name))
        if form is None or not form.is_valid():
            return None
        bound[name] = form
    return bound


def _signup_from(bound: dict) -> services.ChampionSignup:
    contact = bound["contact"].cleaned_data
    where = bound["postcode"].cleaned_data
    equality_form = bound["equality"]
    ward = (
        Area.objects.filter(pk=where.get("ward"), kind=Area.Kind.WARD).first()
        if where.get("ward")
        else None
    )
    return services.ChampionSignup(
        full_name=contact["full_name"],
        email=contact["email"],
        phone=contact["phone"],
        preferred_channels=contact["preferred_channels"],
        address_line_1=contact["address_line_1"],
        address_line_2=contact["address_line_2"],
        address_town=contact["address_town"],
        postcode=where["postcode"],
        ward=ward,
        patch=bound["patch"].cleaned_data["patch"],
        activities=bound["activities"].cleaned_data["activities"],
        wants_newsletter=bound["activities"].cleaned_data["wants_newsletter"],
        participation_level=bound["level"].cleaned_data["participation_level"],
        accessibility_needs=bound["level"].cleaned_data["accessibility_needs"],
        equality=equality_form.answers(),
        equality_consent=bool(equality_form.cleaned_data.get("equality_consent")),
    )


class ChampionCheckView(TemplateView):
    template_name = "engagement/champion_check.html"

    def get(self, request, *args, **kwargs):
        bound = _signup_forms(request)
        if bound is None:
            return redirect("engagement:champion_step", step=STEP_NAMES[0])
        return self.render_to_response(self.get_context_data(bound=bound))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bound = kwargs["bound"]
        signup = _signup_from(bound)
        located = postcode_locate(postcode=signup.postcode)
        context["signup"] = signup
        context["ward"] = (located.ward if located else None) or signup.ward
        context["activities"] = [
            label for code, label in StreetChampion.Activity.choices if code in signup.activities
        ]
        from .models import Channel, ParticipationLevel

        context["channels"] = [
            label for code, label in Channel.choices if code in signup.preferred_channels
        ]
        context["address"] = "\n".join(
            line
            for line in (signup.address_line_1, signup.address_line_2, signup.address_town)
            if line
        )
        context["level"] = dict(ParticipationLevel.choices)[signup.participation_level]
        context["equality_answered"] = signup.equality_consent and not signup.equality.is_blank
        return context

    def post(self, request, *args, **kwargs):
        bound = _signup_forms(request)
        state = request.session.get(SIGNUP_SESSION) or {}
        if bound is None:
            # Submitted twice: the first submission already cleared the answers.
            if request.session.get("engagement.champion_done"):
                return redirect("engagement:champion_done")
            return redirect("engagement:champion_step", step=STEP_NAMES[0])
        try:
            champion = services.champion_signup(
                signup=_signup_from(bound), signup_key=uuid.UUID(state["key"])
            )
        except services.EngagementError as exc:
            return refusal_response(self, [str(exc)], anchor="check-activities", bound=bound)
        request.session.pop(SIGNUP_SESSION, None)
        request.session["engagement.champion_done"] = {
            "email": champion.participant.email,
            "status": champion.status,
        }
        return redirect("engagement:champion_done")


class ChampionDoneView(TemplateView):
    template_name = "engagement/champion_done.html"

    def get(self, request, *args, **kwargs):
        if not request.session.get("engagement.champion_done"):
            return redirect("engagement:champion_start")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["done"] = self.request.session["engagement.champion_done"]
        return context


class ChampionConfirmView(TemplateView):
    """The emailed link: GET shows a button (mail scanners open links), POST confirms."""

    template_name = "engagement/champion_confirm.html"

    def post(self, request, token: str):
        try:
            confirmation = services.champion_confirm(token=token)
        except services.EngagementError as exc:
            return self.render_to_response({"error": str(exc)}, status=400)
        if confirmation.needs_password:
            user = confirmation.user
            return redirect(
                "accounts:password_reset_confirm",
                uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
                token=default_token_generator.make_token(user),
            )
        messages.success(request, "Your email address is confirmed. Thank you.")
        return redirect("engagement:my_page")


# Issue reports (public) ----------------------------------------------------------------


class ReportStartView(FormView):
    template_name = "engagement/report_start.html"
    form_class = forms.ReportWhereForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["categories"] = selectors.report_categories()
        draft = self.request.session.get(REPORT_SESSION)
        if draft and self.request.method == "GET":
            kwargs["initial"] = draft["where"]
        elif self.request.method == "GET" and self.request.GET.get("category"):
            if "\x00" in self.request.GET["category"]:  # PostgreSQL takes no NUL in a query
                raise BadRequest("The category holds a NUL character")
            # A link from a job for the experts names the kind of problem to report.
            chosen = kwargs["categories"].filter(slug=self.request.GET["category"][:60]).first()
            if chosen is not None:
                kwargs["initial"] = {"category": chosen.pk}
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        where = {
            "category": data["category"].pk,
            "postcode": data["postcode"],
            "location_description": data["location_description"],
            "ward": data["ward"],
            "latitude": str(data["latitude"]) if data["latitude"] is not None else "",
            "longitude": str(data["longitude"]) if data["longitude"] is not None else "",
        }
        self.request.session[REPORT_SESSION] = {"where": where, "key": str(uuid.uuid4())}
        return redirect("engagement:report_details")

    def get_context_data(self, **kwargs):
        from django.conf import settings

        context = super().get_context_data(**kwargs)
        context["tile_url"] = settings.MAP_TILE_URL
        context["tile_attribution"] = settings.MAP_TILE_ATTRIBUTION
        context["map_centre"] = area_centre()
        return context


def _draft_point(where: dict):
    if where.get("latitude"):
        return where["latitude"], where["longitude"]
    if where.get("postcode"):
        found = postcode_locate(postcode=where["postcode"])
        if found and found.latitude is not None:
            return found.latitude, found.longitude
    return None


class ReportDetailsView(FormView):
    template_name = "engagement/report_details.html"
    form_class = forms.ReportDetailsForm

    def dispatch(self, request, *args, **kwargs):
        self.draft = request.session.get(REPORT_SESSION)
        if not self.draft:
            return redirect("engagement:report_start")
        self.category = IssueCategory.objects.filter(
            pk=self.draft["where"]["category"], is_active=True
        ).first()
        if self.category is None:
            request.session.pop(REPORT_SESSION, None)
            return redirect("engagement:report_start")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["signed_in"] = self.request.user.is_authenticated
        kwargs["initial"] = {"submission_key": self.draft["key"]}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        point = _draft_point(self.draft["where"])
        context["nearby"] = (
            selectors.report_nearby(category=self.category, latitude=point[0], longitude=point[1])
            if point
            else []
        )
        context["category"] = self.category
        context["where"] = self.draft["where"]
        return context

    def form_valid(self, form):
        where = self.draft["where"]
        photos = photos_from_form(form)
        if form.errors:
            return self.form_invalid(form)
        user = self.request.user
        anonymous = form.cleaned_data["anonymous"]
        try:
            if user.is_authenticated:
                reporter = selectors.participant_for_user(user=user) or _participant_for_account(
                    user
                )
            else:
                reporter, created = _participant_for_visitor(form.cleaned_data)
                # An email someone is already known by may not be the visitor's: the
                # public page must not show that person's name.
                anonymous = anonymous or not created
            ward = (
                Area.objects.filter(pk=where.get("ward"), kind=Area.Kind.WARD).first()
                if where.get("ward")
                else None
            )
            report = services.issue_report_create(
                draft=services.ReportDraft(
                    category=self.category,
                    description=form.cleaned_data["description"],
                    latitude=where["latitude"] or None,
                    longitude=where["longitude"] or None,
                    postcode=where["postcode"],
                    location_description=where["location_description"],
                    ward=ward,
                    anonymous=anonymous,
                ),
                reporter=reporter,
                photos=photos,
                submission_key=form.cleaned_data["submission_key"],
            )
        except services.EngagementError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        self.request.session.pop(REPORT_SESSION, None)
        self.request.session.setdefault("engagement.my_reports", [])
        if report.pk not in self.request.session["engagement.my_reports"]:
            self.request.session["engagement.my_reports"] = [
                *self.request.session["engagement.my_reports"][-19:],
                report.pk,
            ]
        messages.success(
            self.request,
            f"Report sent. Your reference is {report.reference}. "
            "We will email you each time its status changes.",
        )
        return redirect(report.get_absolute_url())


def _participant_for_account(user) -> Participant:
    from django.db import transaction

    with transaction.atomic():
        participant, _ = services.participant_get_or_create_by_email(
            email=user.email, defaults={"full_name": user.full_name}
        )
        if participant.user_id is None:
            Participant.objects.filter(pk=participant.pk).update(user=user)
            participant.user = user
    return participant


def _participant_for_visitor(data: dict):
    from django.db import transaction

    with transaction.atomic():
        return services.participant_get_or_create_by_email(
            email=data["email"], defaults={"full_name": data["full_name"]}
        )


class ReportDetailView(TemplateView):
    """A report's public page: its status, history and response times."""

    template_name = "engagement/report_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = _scoped_or_404(selectors.report_public_get, pk=kwargs["pk"])
        user = self.request.user
        participant = selectors.participant_for_user(user=user)
        is_reporter = participant is not None and report.reporter_id == participant.pk
        can_manage = user.is_authenticated and user.has_perm(
            "engagement.change_issuereport", report
        )
        context.update(
            report=report,
            is_reporter=is_reporter,
            can_manage=can_manage,
            show_name=not report.anonymous
            and report.reporter is not None
            and report.reporter.erased_at is None,
            typical=selectors.report_response_times(category=report.category, ward=report.ward),
            response_hours=round(report.response_seconds / 3600, 1)
            if report.response_seconds is not None
            else None,
            resolution_days=round(report.resolution_seconds / 86400, 1)
            if report.resolution_seconds is not None
            else None,
        )
        return context


class ReportPhotoView(View):
    """A photo, only for the reporter and the staff who may manage the report."""

    def get(self, request, pk: int, photo_pk: int):
        report = _scoped_or_404(selectors.report_public_get, pk=pk)
        participant = selectors.participant_for_user(user=request.user)
        allowed = (participant is not None and report.reporter_id == participant.pk) or (
            request.user.is_authenticated
            and request.user.has_perm("engagement.change_issuereport", report)
        )
        if not allowed:
            raise Http404
        photo = report.photos.filter(pk=photo_pk).first()
        if photo is None:
            raise Http404
        response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
        response["Cache-Control"] = "private, max-age=3600"
        return response


# Residents' own pages -------------------------------------------------------------------


class ResidentMixin(LoginRequiredMixin):
    def participant(self) -> Participant | None:
        return selectors.participant_for_user(user=self.request.user)


class MyPageView(ResidentMixin, TemplateView):
    template_name = "engagement/my_page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        participant = self.participant()
        context["participant"] = participant
        if participant is not None:
            context["reports"] = list(
                selectors.report_list_for_participant(participant=participant)[:50]
            )
            context["attendances"] = list(
                selectors.attendance_list_for_participant(participant=participant)[:50]
            )
            context["champion"] = getattr(participant, "street_champion", None)
            context["equality"] = services.equality_response_current_for_person(
                participant=participant
            )
            context["hours"] = sum(
                (a.hours or 0)
                for a in context["attendances"]
                if a.status == Attendance.Status.ATTENDED
            )
        return context


def _participant_initial(participant: Participant) -> dict:
    return {
        "full_name": participant.full_name,
        "email": participant.email,
        "phone": participant.phone,
        "address_line_1": participant.address_line_1,
        "address_line_2": participant.address_line_2,
        "address_town": participant.address_town,
        "postcode": participant.postcode,
        "participation_level": participant.participation_level,
        "preferred_channels": participant.preferred_channels,
        "accessibility_needs": participant.accessibility_needs,
        "version": participant.version,
    }


class _DetailsEditBase(FormView):
    template_name = "engagement/participant_edit.html"
    form_class = forms.ParticipantDetailsForm

    def get_initial(self):
        return _participant_initial(self.target)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.participant_update(
                participant=self.target, actor=self.request.user, data=data, version=version
            )
        except ValidationError:
            return conflict_response(
                self,
                form,
                "Someone else changed these details while you were editing them. Check them "
                "as they are now and make your changes again.",
            )
        except services.EngagementError as exc:
            form.add_error("email", str(exc))
            return self.form_invalid(form)
        messages.success(self.request, "Details saved.")
        return redirect(self.success)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["target"] = self.target
        context["back_url"] = self.success
        return context


class MyDetailsEditView(ResidentMixin, _DetailsEditBase):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.target = self.participant()
        if self.target is None:
            raise Http404
        self.success = reverse("engagement:my_page")
        return super().dispatch(request, *args, **kwargs)


class MyEqualityView(ResidentMixin, FormView):
    """The person's own equality answers: the only place they are shown per person."""

    template_name = "engagement/my_equality.html"
    form_class = forms.EqualityForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.target = self.participant()
        if self.target is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return forms.EqualityForm.initial_from(
            services.equality_response_current_for_person(participant=self.target)
        )

    def form_valid(self, form):
        answers = form.answers()
        if answers.is_blank:
            services.equality_response_withdraw(participant=self.target, actor=self.request.user)
        else:
            services.equality_response_record(
                participant=self.target, answers=answers, actor=self.request.user
            )
        messages.success(self.request, "Your answers are saved.")
        return redirect("engagement:my_page")


class MyEqualityWithdrawView(ResidentMixin, TemplateView):
    template_name = "engagement/my_equality_withdraw.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.target = self.participant()
        if self.target is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def post(self, request):
        services.equality_response_withdraw(participant=self.target, actor=request.user)
        messages.success(request, "Your equality answers have been deleted.")
        return redirect("engagement:my_page")


def _download(data: dict, *, fmt: str, name: str):
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False, default=str),
            content_type="application/json",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    return csv_response(
        filename=f"{name}.csv",
        header=["record", "item", "field", "value"],
        rows=export_rows_for_csv(data),
    )


class MyDataDownloadView(ResidentMixin, View):
    def get(self, request, fmt: str):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        participant = self.participant()
        from coproduction.privacy import personal_data

        if participant is not None:
            data = services.participant_export(participant=participant, actor=request.user)
        else:
            data = personal_data.export(DataSubject.for_user(request.user))
        return _download(data, fmt=fmt, name="my-data")


class MyDeleteView(ResidentMixin, FormView):
    template_name = "engagement/my_delete.html"
    form_class = forms.ConfirmDeleteForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        # Staff accounts are closed by an administrator, not from here.
        if request.user.roles and any(r != "resident" for r in request.user.roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        user = self.request.user
        participant = self.participant()
        if participant is not None:
            services.participant_erase(participant=participant, actor=user)
        else:
            from coproduction.privacy import personal_data

            personal_data.erase(DataSubject.for_user(user))
        logout(self.request)
        messages.success(self.request, "Your account and your details have been deleted.")
        return redirect("home")


# Staff: street champions ---------------------------------------------------------------


def _ward_options(user):
    return (
        area_list_for_user(user=user)
        .filter(kind__in=[Area.Kind.WARD, Area.Kind.AREA])
        .order_by("kind", "name")
    )


class ChampionListView(StaffMixin, TemplateView):
    template_name = "engagement/champion_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        areas = list(_ward_options(user))
        status = self.request.GET.get("status", "")
        if status not in StreetChampion.Status.values:
            status = ""
        area = None
        area_id = whole_number(self.request.GET.get("area"))
        if area_id is not None:
            area = next((a for a in areas if a.pk == area_id), None)
        champions = selectors.champion_list_for_user(user=user, ward=area, status=status)
        page = Paginator(champions, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            page=page,
            areas=areas,
            status=status,
            area=area,
            statuses=StreetChampion.Status.choices,
            counts=selectors.champion_status_counts(user=user),
            query=self.request.GET.urlencode(),
        )
        return context


class ChampionNewsletterCsvView(StaffMixin, View):
    def get(self, request):
        champions = selectors.champion_list_for_user(user=request.user).filter(
            status=StreetChampion.Status.ACTIVE, wants_newsletter=True
        )
        rows = (
            (
                c.participant.full_name,
                c.participant.email,
                c.participant.phone,
                ", ".join(c.participant.address_lines),
                c.participant.postcode,
                c.ward.name if c.ward else "",
                c.patch,
            )
            for c in champions.iterator(chunk_size=500)
        )
        return csv_response(
            filename="street-champions-newsletter.csv",
            header=["name", "email", "phone", "address", "postcode", "ward", "patch"],
            rows=rows,
        )


class ChampionDetailView(StaffMixin, TemplateView):
    template_name = "engagement/champion_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm("engagement.manage"):
            self.champion = _scoped_or_404(
                selectors.champion_get_for_user, user=request.user, pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["champion"] = self.champion
        context["induction_form"] = kwargs.get("induction_form") or forms.ChampionInductionForm(
            initial={
                "inducted_on": timezone.localdate().strftime("%d/%m/%Y"),
                "kit_issued": self.champion.kit_issued,
                "covered": [name for name, _label in forms.INDUCTION_PARTS],
            }
        )
        context["reports"] = list(
            selectors.report_list_for_participant(participant=self.champion.participant)[:20]
        )
        return context

    def post(self, request, pk: int):
        action = request.POST.get("action", "")
        try:
            if action == "induct":
                form = forms.ChampionInductionForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(induction_form=form))
                services.champion_induction_record(
                    champion=self.champion,
                    actor=request.user,
                    inducted_on=form.cleaned_data["inducted_on"],
                    kit_issued=form.cleaned_data["kit_issued"],
                    **form.covered_flags(),
                )
                messages.success(request, "Induction recorded.")
            elif action in ("approve", "pause", "resume", "end"):
                reason = request.POST.get("reason", "")
                if "\x00" in reason:  # PostgreSQL stores no NUL in text
                    return refusal_response(
                        self,
                        ["The reason holds a NUL character: type it again"],
                        # An ended champion's page has no reason box.
                        anchor="champion-actions"
                        if self.champion.status == StreetChampion.Status.ENDED
                        else "end-reason",
                    )
                services.champion_status_change(
                    champion=self.champion,
                    action=action,
                    actor=request.user,
                    reason=reason[:255],
                )
                messages.success(
                    request, f"Champion {'approved' if action == 'approve' else action + 'd'}."
                )
            else:
                return HttpResponse("Unknown action", status=400)
        except services.EngagementError as exc:
            return refusal_response(self, [str(exc)], anchor="champion-actions")
        return redirect("engagement:champion_detail", pk=pk)


# Staff: report queue -------------------------------------------------------------------


def _queue_filters(query: QueryDict, areas):
    form = forms.ReportFilterForm(
        query or None,
        states=selectors.report_states(),
        categories=selectors.report_categories(active_only=False),
        areas=areas,
    )
    filters = selectors.ReportFilters(open_only=True)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        state = data["state"]
        filters = selectors.ReportFilters(
            state="" if state in ("", "all") else state,
            open_only=state == "",
            category=data["category"],
            area=next((a for a in areas if a.pk == data["area"]), None),
            overdue=data["overdue"],
            champion=data["champion"],
        )
    return form, filters


class ReportQueueView(StaffMixin, TemplateView):
    template_name = "engagement/report_queue.html"

    def queue_query(self) -> QueryDict:
        """The filters and page the queue shows."""
        return self.request.GET

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        areas = list(_ward_options(user))
        shown = self.queue_query()
        form, filters = _queue_filters(shown, areas)
        reports = selectors.report_queue_for_user(user=user, filters=filters)
        page = Paginator(reports, PAGE_SIZE).get_page(shown.get("page"))
        query = shown.copy()
        query.pop("page", None)
        bulk_form = kwargs.get("bulk_form") or _bulk_form(user)
        context.update(
            filter_form=form,
            page=page,
            now=timezone.now(),
            query=query.urlencode(),
            bulk_form=bulk_form,
            # The reports ticked when an update was refused, ticked again.
            selected=set(bulk_form.data.getlist("reports")) if bulk_form.is_bound else set(),
            bulk_errors=_bulk_errors(bulk_form),
        )
        return context


def _bulk_errors(form: forms.ReportBulkForm) -> list[tuple[str, str]]:
    """(anchor, message) for the error summary: the ticked reports have no field on the
    page but the table's checkboxes, and a missing choice belongs to the status."""
    if not form.is_bound or form.is_valid():
        return []
    anchors = {"reports": "reports-table", "__all__": "id_state"}
    return [
        (anchors.get(name, f"id_{name}"), str(error))
        for name, errors in form.errors.items()
        for error in errors
    ]


def _bulk_form(user, data=None) -> forms.ReportBulkForm:
    return forms.ReportBulkForm(
        data,
        reports=(
            selectors.report_queue_for_user(user=user, filters=selectors.ReportFilters())
            if data is not None
            else IssueReport.objects.none()
        ),
        states=selectors.report_states().filter(is_duplicate=False),
        teams=selectors.team_list_for_user(user=user),
    )


class ReportQueueCsvView(StaffMixin, View):
    def get(self, request):
        areas = list(_ward_options(request.user))
        _form, filters = _queue_filters(request.GET, areas)
        reports = selectors.report_queue_for_user(user=request.user, filters=filters)
        now = timezone.now()
        rows = (
            (
                r.reference,
                r.category.name,
                r.state.label,
                r.ward.name if r.ward else "",
                r.ward.gss_code if r.ward else "",
                r.team.name if r.team else "",
                r.by_champion,
                r.created_at,
                r.responded_at,
                r.fixed_at,
                r.due_at,
                bool(r.state.is_open and r.due_at < now),
                r.where,
            )
            for r in reports.iterator(chunk_size=500)
        )
        return csv_response(
            filename="reports.csv",
            header=[
                "reference",
                "category",
                "status",
                "ward",
                "ward_code",
                "team",
                "by_champion",
                "reported",
                "first_response",
                "fixed",
                "due",
                "overdue",
                "where",
            ],
            rows=rows,
        )


class ReportBulkView(ReportQueueView):
    """Updates the reports ticked on the queue; a refused update shows the queue again,
    as it was, with the reports still ticked and the errors above (400)."""

    http_method_names = ["post"]

    def queue_query(self) -> QueryDict:
        # The page the reports were ticked on too: shown again there, they stay ticked.
        query = QueryDict(self.request.POST.get("query", ""), mutable=True)
        if self.request.POST.get("page"):
            query["page"] = self.request.POST["page"]
        return query

    def post(self, request):
        user = request.user
        form = _bulk_form(user, request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(bulk_form=form), status=400)
        data = form.cleaned_data
        count = services.issue_report_bulk_update(
            reports=data["reports"],
            actor=user,
            to_state=data["state"],
            team=data["team"],
            note=data["note"],
        )
        messages.success(request, f"{count} report{'s' if count != 1 else ''} updated.")
        return redirect(reverse("engagement:report_queue") + "?" + request.POST.get("query", ""))


class ReportManageView(StaffMixin, TemplateView):
    template_name = "engagement/report_manage.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm("engagement.manage"):
            self.report = _scoped_or_404(
                selectors.report_get_for_staff, user=request.user, pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        states = selectors.report_states().filter(is_duplicate=False)
        context.update(
            report=report,
            updates=list(report.updates.select_related("to_state", "actor")),
            photos=list(report.photos.all()),
            reporter=report.reporter,
            transition_form=kwargs.get("transition_form")
            or forms.ReportTransitionForm(
                states=states, initial={"state": report.state, "version": report.version}
            ),
            merge_form=kwargs.get("merge_form") or forms.ReportMergeForm(),
            team_form=kwargs.get("team_form")
            or forms.ReportTeamForm(initial={"team": report.team}),
            nearby=(
                selectors.report_nearby(
                    category=report.category,
                    latitude=report.latitude,
                    longitude=report.longitude,
                    exclude_pk=report.pk,
                )
                if report.latitude is not None
                else []
            ),
        )
        context["team_form"].fields["team"].queryset = selectors.team_list_for_user(
            user=self.request.user
        )
        return context

    def post(self, request, pk: int):
        action = request.POST.get("action", "")
        user = request.user
        if action == "transition":
            form = forms.ReportTransitionForm(
                request.POST, states=selectors.report_states().filter(is_duplicate=False)
            )
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(transition_form=form))
            try:
                services.issue_report_transition(
                    report=self.report,
                    to_state=form.cleaned_data["state"],
                    actor=user,
                    note=form.cleaned_data["note"],
                    version=form.cleaned_data["version"],
                )
            except ValidationError:
                form.add_error(
                    None,
                    "Someone else updated this report while you were looking at it. Check its "
                    "status now and try again.",
                )
                return self.render_to_response(
                    self.get_context_data(transition_form=form), status=409
                )
            messages.success(request, "Status updated. The reporter has been told.")
        elif action == "merge":
            form = forms.ReportMergeForm(request.POST)
            into = None
            if form.is_valid():
                into = (
                    selectors.report_queue_for_user(user=user)
                    .filter(pk=form.cleaned_data["into"])
                    .first()
                )
                if into is None:
                    form.add_error("into", "No report in your areas has that reference")
            if into is None:
                return self.render_to_response(self.get_context_data(merge_form=form))
            try:
                services.issue_report_merge(report=self.report, into=into, actor=user)
            except services.EngagementError as exc:
                form.add_error("into", str(exc))
                return self.render_to_response(self.get_context_data(merge_form=form))
            messages.success(request, f"Merged into {into.reference}.")
        elif action == "team":
            form = forms.ReportTeamForm(request.POST)
            form.fields["team"].queryset = selectors.team_list_for_user(user=user)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(team_form=form))
            services.issue_report_bulk_update(
                reports=[self.report], actor=user, team=form.cleaned_data["team"]
            )
            messages.success(request, "Team changed.")
        else:
            return HttpResponse("Unknown action", status=400)
        return redirect("engagement:report_manage", pk=pk)


class ReportStatsView(FiguresMixin, TemplateView):
    template_name = "engagement/report_stats.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = selectors.report_monthly_figures(user=self.request.user)
        by_month: dict = {}
        for row in figures:
            by_month[row.month] = by_month.get(row.month, 0) + row.reports
        context["figures"] = figures
        context["chart"] = bar_chart(
            title="Reports each month, all your areas",
            rows=[(month.strftime("%b %Y"), count) for month, count in sorted(by_month.items())],
            value_heading="Reports",
            label_heading="Month",
        )
        return context


class ReportWardCsvView(FiguresMixin, View):
    def get(self, request):
        rows = (
            (
                r["ward__name"],
                r["ward__gss_code"],
                r["ward__parent__name"],
                r["reports"],
                r["open"],
                r["overdue"],
                r["fixed"],
                r["by_champions"],
                round(r["response"] / 3600, 1) if r["response"] is not None else None,
                round(r["resolution"] / 86400, 1) if r["resolution"] is not None else None,
            )
            for r in selectors.report_ward_summary(user=request.user)
        )
        return csv_response(
            filename="reports-by-ward.csv",
            header=[
                "ward",
                "ward_code",
                "area",
                "reports",
                "open",
                "overdue",
                "fixed",
                "by_street_champions",
                "average_first_response_hours",
                "average_days_to_fix",
            ],
            rows=rows,
        )


class AreaSummaryView(FiguresMixin, TemplateView):
    template_name = "engagement/area_summary.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = selectors.area_summary(user=self.request.user)
        return context


# Staff: events and attendance ------------------------------------------------------------


class EventListView(StaffMixin, TemplateView):
    template_name = "engagement/event_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        events = selectors.event_list_for_user(user=self.request.user)
        context["page"] = Paginator(events, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return context


def _event_areas(user):
    return area_list_for_user(user=user).exclude(kind=Area.Kind.LSOA).order_by("kind", "name")


class EventCreateView(StaffMixin, FormView):
    template_name = "engagement/event_form.html"
    form_class = forms.EventForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["areas"] = _event_areas(self.request.user)
        kwargs.setdefault("initial", {})["registration_open"] = True
        return kwargs

    def form_valid(self, form):
        try:
            event = services.event_create(actor=self.request.user, data=form.cleaned_data)
        except services.EngagementError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"Event created. Check-in code: {event.check_in_code}")
        return redirect("engagement:event_attendance", pk=event.pk)


class EventEditView(StaffMixin, FormView):
    template_name = "engagement/event_form.html"
    form_class = forms.EventForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm("engagement.manage"):
            self.event = _scoped_or_404(
                selectors.event_get_for_staff, user=request.user, pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["areas"] = _event_areas(self.request.user)
        return kwargs

    def get_initial(self):
        e = self.event
        return {
            "title": e.title,
            "kind": e.kind,
            "description": e.description,
            "starts_at": timezone.localtime(e.starts_at).strftime("%d/%m/%Y %H:%M"),
            "ends_at": timezone.localtime(e.ends_at).strftime("%d/%m/%Y %H:%M"),
            "place": e.place,
            "area": e.area,
            "capacity": e.capacity,
            "registration_open": e.registration_open,
        }

    def form_valid(self, form):
        try:
            services.event_update(
                event=self.event, actor=self.request.user, data=form.cleaned_data
            )
        except services.EngagementError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, "Event saved.")
        return redirect("engagement:event_attendance", pk=self.event.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["event"] = self.event
        return context


def _status_notice_said(event: Event, action: str) -> str:
    """What the officer is told after cancelling or reinstating: how many people with a
    place are emailed, and who has no email address and must be told another way."""
    places = event.attendances.filter(status=Attendance.Status.REGISTERED)
    emailed = places.exclude(participant__email="").count()
    unreached = [
        str(a.participant)
        for a in places.filter(participant__email="", participant__erased_at__isnull=True)
        .select_related("participant")
        .order_by("participant__full_name")
    ]
    said = ["Event cancelled." if action == "cancel" else "Event reinstated."]
    if emailed:
        news = "it is cancelled" if action == "cancel" else "it is going ahead"
        people = "1 person" if emailed == 1 else f"{emailed} people"
        said.append(
            f"{people} with a place {'is' if emailed == 1 else 'are'} being emailed that {news}."
        )
    if unreached:
        said.append(_no_email_said(unreached))
    if not emailed and not unreached:
        said.append("No one has a place at it.")
    return " ".join(said)


def _no_email_said(unreached: list[str]) -> str:
    """Who an email could not reach, for the officer to tell another way (ten named)."""
    names = unreached if len(unreached) <= 10 else [*unreached[:10], f"{len(unreached) - 10} more"]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"No email address for {listed}: tell them another way."


def _invitations_said(champions: list[StreetChampion]) -> str:
    """What the officer is told after inviting the street champions: how many are emailed,
    and who has no email address."""
    if not champions:
        return "There is no active street champion in the event's area to invite."
    emailed = sum(1 for champion in champions if champion.participant.email)
    unreached = [str(c.participant) for c in champions if not c.participant.email]
    said = []
    if emailed:
        said.append(
            f"Invitations are being emailed to {emailed} street "
            f"champion{'s' if emailed != 1 else ''}."
        )
    if unreached:
        said.append(_no_email_said(unreached))
    return " ".join(said)


class EventAttendanceView(StaffMixin, TemplateView):
    """The register: who registered, who came and the hours they gave."""

    template_name = "engagement/event_attendance.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm("engagement.manage"):
            self.event = _scoped_or_404(
                selectors.event_get_for_staff, user=request.user, pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["event"] = self.event
        context["register"] = kwargs.get("register") or register_saved(
            selectors.attendance_list_for_event(event=self.event),
            ticked_status=Attendance.Status.ATTENDED,
        )
        context["register_errors"] = kwargs.get("register_errors", [])
        context["walk_in_form"] = kwargs.get("walk_in_form") or forms.WalkInForm()
        context["can_invite"] = self.event.kind in (
            Event.Kind.GET_TOGETHER,
            Event.Kind.LITTER_PICK,
            Event.Kind.TRAINING,
        )
        context["feedback"] = self.event.feedback.all()[:20]
        return context

    def post(self, request, pk: int):
        action = request.POST.get("action", "")
        if action == "register":
            attendances = selectors.attendance_list_for_event(event=self.event)
            register = register_read(request.POST, attendances, tick="attended")
            if register.errors:
                # Shown again as submitted, every other tick and box kept; nothing saved.
                return self.render_to_response(
                    self.get_context_data(register=register.rows, register_errors=register.errors),
                    status=400,
                )
            try:
                services.attendance_take(
                    event=self.event, actor=request.user, marks=register.marks
                )
            except services.EngagementError as exc:
                return refusal_response(
                    self, [str(exc)], anchor="register", register=register.rows
                )
            messages.success(request, "Attendance saved.")
        elif action == "walk_in":
            form = forms.WalkInForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(walk_in_form=form))
            try:
                services.attendance_walk_in(
                    event=self.event, actor=request.user, **form.cleaned_data
                )
            except services.EngagementError as exc:
                return refusal_response(self, [str(exc)], anchor="register", walk_in_form=form)
            messages.success(request, f"{form.cleaned_data['full_name']} added as attended.")
        elif action == "invite":
            champions = services.champion_invitations_send(event=self.event, actor=request.user)
            messages.success(request, _invitations_said(champions))
        elif action in ("cancel", "reinstate"):
            status = Event.Status.CANCELLED if action == "cancel" else Event.Status.SCHEDULED
            try:
                services.event_status_set(event=self.event, actor=request.user, status=status)
            except services.EngagementError as exc:
                return refusal_response(self, [str(exc)], anchor="cancel")
            messages.success(request, _status_notice_said(self.event, action))
        else:
            return HttpResponse("Unknown action", status=400)
        return redirect("engagement:event_attendance", pk=pk)


class ParticipationImportView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    permission_required = "engagement.import_participation"
    template_name = "engagement/participation_import.html"
    form_class = forms.ParticipationImportForm

    def form_valid(self, form):
        job = job_create(
            kind="engagement.import_participation",
            created_by=self.request.user,
            upload=form.cleaned_data["file"],
        )
        return HttpResponseRedirect(job.get_absolute_url())


# Public events ----------------------------------------------------------------------


class EventPublicListView(TemplateView):
    template_name = "engagement/event_public_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = Paginator(selectors.event_public_list(), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        return context


def _taking_registrations(event: Event) -> bool:
    """Whether the event's page offers a place (event_register refuses one otherwise)."""
    return (
        event.status == Event.Status.SCHEDULED
        and event.registration_open
        and event.ends_at >= timezone.now()
    )


class EventPublicDetailView(TemplateView):
    template_name = "engagement/event_public_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = _scoped_or_404(selectors.event_public_get, pk=kwargs["pk"])
        participant = selectors.participant_for_user(user=self.request.user)
        context["event"] = event
        # Through the event's attendances, so the place's rules read this event.
        context["place"] = (
            event.attendances.filter(participant=participant).first() if participant else None
        )
        context["full"] = event.capacity is not None and event.registered_count >= event.capacity
        context["open"] = _taking_registrations(event)
        now = timezone.now()
        context["ended"] = event.status != Event.Status.CANCELLED and event.ends_at < now
        # Not offered again to someone already checked in: it would change nothing.
        context["check_in_open"] = event.check_in_is_open and not (
            context["place"] and context["place"].status == Attendance.Status.ATTENDED
        )
        context["feedback_open"] = event.starts_at <= now
        return context


class EventGiveUpPlaceView(LoginRequiredMixin, EventPublicDetailView):
    """The event's page, whose button gives up the signed-in person's place."""

    def post(self, request, pk: int):
        event = _scoped_or_404(selectors.event_public_get, pk=pk)
        participant = selectors.participant_for_user(user=request.user)
        if participant is not None:
            try:
                place = services.event_place_give_up(event=event, participant=participant)
            except services.EngagementError as exc:
                return refusal_response(self, [str(exc)], anchor="your-place", pk=pk)
            if place is not None:
                messages.success(request, f"You have given up your place at {event.title}.")
        return redirect("engagement:event_detail_public", pk=event.pk)


class EventRegisterView(FormView):
    template_name = "engagement/event_register.html"
    form_class = forms.EventRegistrationForm

    def dispatch(self, request, *args, **kwargs):
        self.event = _scoped_or_404(selectors.event_public_get, pk=kwargs["pk"])
        if request.method == "GET" and not _taking_registrations(self.event):
            # The event's page says why (it has finished, was cancelled or is closed).
            messages.warning(request, f"{self.event.title} is not taking registrations.")
            return redirect("engagement:event_detail_public", pk=self.event.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        participant = selectors.participant_for_user(user=self.request.user)
        if participant is None:
            return {}
        return {
            "full_name": participant.full_name,
            "email": participant.email,
            "phone": participant.phone,
            "postcode": participant.postcode,
            "accessibility_needs": participant.accessibility_needs,
        }

    def form_valid(self, form):
        try:
            services.event_register_public(event=self.event, **form.cleaned_data)
        except services.EngagementError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        self.request.session["engagement.registered"] = self.event.pk
        return redirect("engagement:event_registered", pk=self.event.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["event"] = self.event
        return context


class EventRegisteredView(TemplateView):
    template_name = "engagement/event_registered.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = _scoped_or_404(selectors.event_public_get, pk=kwargs["pk"])
        participant = selectors.participant_for_user(user=self.request.user)
        context["event"] = event
        # Someone signed in gives up their own place on the event's page.
        context["place"] = (
            event.attendances.filter(participant=participant).first() if participant else None
        )
        return context


class EventCheckInView(LoginRequiredMixin, FormView):
    template_name = "engagement/event_check_in.html"
    form_class = forms.CheckInForm

    def dispatch(self, request, *args, **kwargs):
        self.event = _scoped_or_404(selectors.event_public_get, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        participant = selectors.participant_for_user(
            user=self.request.user
        ) or _participant_for_account(self.request.user)
        try:
            services.attendance_check_in(
                event=self.event, participant=participant, code=form.cleaned_data["code"]
            )
        except services.EngagementError as exc:
            form.add_error("code", str(exc))
            return self.form_invalid(form)
        messages.success(
            self.request, f"You are checked in to {self.event.title}. Thank you for coming."
        )
        return redirect("engagement:event_detail_public", pk=self.event.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["event"] = self.event
        return context


class EventFeedbackView(FormView):
    template_name = "engagement/event_feedback.html"
    form_class = forms.FeedbackForm

    def dispatch(self, request, *args, **kwargs):
        self.event = _scoped_or_404(selectors.event_public_get, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"submission_key": uuid.uuid4()}

    def form_valid(self, form):
        if self.event.starts_at > timezone.now():
            form.add_error(None, "You can tell us how it went once the event has started.")
            return self.form_invalid(form)
        services.event_feedback_submit(event=self.event, **form.cleaned_data)
        messages.success(self.request, "Thank you for telling us how it went.")
        return redirect("engagement:event_detail_public", pk=self.event.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["event"] = self.event
        return context


# Staff: people ------------------------------------------------------------------------


class ParticipantListView(StaffMixin, TemplateView):
    template_name = "engagement/participant_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:100]
        if "\x00" in query:  # PostgreSQL takes no NUL in a query
            raise BadRequest("The search holds a NUL character")
        people = selectors.participant_list_for_user(user=self.request.user, query=query)
        context["page"] = Paginator(people, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context["q"] = query
        context["query"] = urlencode({"q": query}) if query else ""
        return context


class _StaffParticipantMixin(StaffMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm("engagement.manage"):
            self.target = _scoped_or_404(
                selectors.participant_get_for_staff, user=request.user, pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)


class ParticipantDetailView(_StaffParticipantMixin, TemplateView):
    template_name = "engagement/participant_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        participant = self.target
        context["participant"] = participant
        context["champion"] = StreetChampion.objects.filter(participant=participant).first()
        context["reports"] = list(
            selectors.report_list_for_participant(participant=participant)[:20]
        )
        context["attendances"] = list(participant.attendances.all()[:50])
        return context


class ParticipantEditView(_StaffParticipantMixin, _DetailsEditBase):
    def dispatch(self, request, *args, **kwargs):
        self.success = reverse("engagement:participant_detail", args=[kwargs["pk"]])
        return super().dispatch(request, *args, **kwargs)


class ParticipantDownloadView(_StaffParticipantMixin, View):
    def get(self, request, pk: int, fmt: str):
        data = services.participant_export(participant=self.target, actor=request.user)
        return _download(data, fmt=fmt, name=f"participant-{self.target.pk}-data")


class ParticipantEraseView(_StaffParticipantMixin, FormView):
    template_name = "engagement/participant_erase.html"
    form_class = forms.ConfirmDeleteForm

    def form_valid(self, form):
        services.participant_erase(participant=self.target, actor=self.request.user)
        messages.success(
            self.request,
            "The person's details have been erased. Their attendance stays as anonymous counts.",
        )
        return redirect("engagement:participant_list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["participant"] = self.target
        return context
