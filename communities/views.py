import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from coproduction.cache import count
from coproduction.charts import bar_chart, line_chart
from coproduction.exports import csv_response
from coproduction.forms import conflict_response
from coproduction.jobs.services import job_create
from coproduction.versioning import EditConflictError

from . import census, selectors, services
from .forms import (
    AreaForm,
    AssetFilterForm,
    AssetForm,
    AssetSuggestionForm,
    CapacityAssessmentForm,
    ImportForm,
)
from .models import Area, Asset, CommunityOfInterest
from .oruk import oruk_export


class RulePermissionMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Signed-out people go to sign in; signed-in people without the rule get a 403."""

    def get_permission_object(self):
        return None

    def has_permission(self) -> bool:
        return self.request.user.has_perm(self.permission_required, self.get_permission_object())


def _scope(request):
    return selectors.area_scope_for_user(user=request.user)


# -- Areas -------------------------------------------------------------------------------


class AreaListView(RulePermissionMixin, TemplateView):
    template_name = "communities/area_list.html"
    permission_required = "communities.view_area_list"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["rows"] = selectors.area_list_with_figures(user=self.request.user)
        # An area is part of a council: without one among the rows there is none to add to.
        context["can_add"] = any(
            row["area"].kind == Area.Kind.COUNCIL for row in context["rows"]
        ) and self.request.user.has_perm("communities.add_area")
        context["can_import"] = self.request.user.has_perm("communities.import_data")
        return context


class AreaMixin(RulePermissionMixin):
    permission_required = "communities.view_area"

    @cached_property
    def area(self) -> Area:
        try:
            return selectors.area_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
        except Area.DoesNotExist:
            raise Http404 from None

    def get_permission_object(self):
        if not self.request.user.is_authenticated:
            return None
        return self.area

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["area"] = self.area
        return context


DIMENSION_TABLES = [
    ("age", "Age"),
    ("TS008", "Sex"),
    ("TS021", "Ethnic group"),
    ("TS038", "Disability"),
    ("TS030", "Religion"),
    ("TS077", "Sexual orientation"),
    ("TS078", "Gender identity"),
]


class AreaDetailView(AreaMixin, TemplateView):
    template_name = "communities/area_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        area = self.area
        figures = selectors.area_census_tables(area=area)
        population = selectors.area_population(area=area, tables=figures)
        sections = []
        for key, title in DIMENSION_TABLES:
            figure = selectors.age_bands(figures) if key == "age" else figures.get(key)
            if figure is None:
                sections.append({"title": title, "figure": None, "key": key})
                continue
            if key == "age":
                codes = [c.code for c in census.AGE_FIVE_YEAR_BANDS]
            else:
                codes = [c.code for c in figure.dimension.categories]
            rows = figure.rows(codes)
            chart_rows = [
                (category.label, share or 0)
                for category, _count, share in rows
                if category.parent is None or key == "age"
            ]
            sections.append(
                {
                    "key": key,
                    "title": title,
                    "figure": figure,
                    "rows": rows,
                    "chart": bar_chart(
                        title=f"{title}: share of residents",
                        rows=chart_rows,
                        value_heading="Share",
                        label_heading=title,
                        unit="%",
                        fmt="{:,.1f}",
                    ),
                }
            )
        deprivation = selectors.area_deprivation(area=area)
        spend = selectors.area_spend(area=area)
        latest_spend = spend["by_year"][0]["total"] if spend["by_year"] else None
        children, children_year = (
            selectors.area_children_figures(area=area)
            if area.kind != Area.Kind.LSOA
            else ([], None)
        ) or ([], None)
        assessments = selectors.capacity_history(area=area)
        ancestors = [a for a in (area.parent and area.parent.parent, area.parent) if a]
        # Link only the enclosing areas the person may open: a ward's councillor does not
        # cover the whole council.
        visible = set(
            selectors.area_scope_for_user(user=self.request.user)
            .filter(pk__in=[a.pk for a in ancestors])
            .values_list("pk", flat=True)
        )
        context.update(
            {
                "breadcrumb_areas": [(a, a.pk in visible) for a in ancestors],
                "population": population,
                "sections": sections,
                "deprivation": deprivation,
                "deprivation_chart": bar_chart(
                    title="LSOAs by IMD decile (1 is the most deprived 10% in England)",
                    rows=[(f"Decile {d}", n) for d, n in deprivation.by_decile.items()],
                    value_heading="LSOAs",
                    label_heading="Decile",
                    css_for=lambda row: (
                        "app-chart__bar--alert" if row[0] in ("Decile 1", "Decile 2") else ""
                    ),
                ),
                "spend": spend,
                "spend_per_head": (latest_spend / population).quantize(
                    latest_spend.__class__("0.01")
                )
                if latest_spend is not None and population
                else None,
                "children": children,
                "children_year": children_year,
                "counts": selectors.area_counts(area=area),
                "assets": list(
                    selectors.asset_list_for_user(
                        user=self.request.user, filters=selectors.AssetFilters(area=area)
                    )[:50]
                ),
                "assessments": assessments,
                "capacity_charts": _capacity_charts(assessments),
                "can_change": self.request.user.has_perm("communities.change_area", area),
                "can_assess": self.request.user.has_perm(
                    "communities.add_capacityassessment", area
                ),
            }
        )
        return context


def _capacity_charts(assessments) -> list:
    if len(assessments) < 2:
        return []
    points = [(a.assessed_on.strftime("%d %b %Y"), a) for a in assessments]
    return [
        line_chart(
            title="Confidence to act together (1 to 5)",
            points=[(label, a.confidence) for label, a in points],
            value_heading="Score",
            fmt="{:,.0f}",
        ),
        line_chart(
            title="Active volunteers",
            points=[(label, a.volunteers) for label, a in points],
            value_heading="Volunteers",
        ),
    ]


class AreaCreateView(RulePermissionMixin, FormView):
    template_name = "communities/area_form.html"
    form_class = AreaForm
    permission_required = "communities.add_area"

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["scope"] = _scope(self.request)
        kwargs["instance"] = Area(kind=Area.Kind.AREA)
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        parent = data["parent"]
        if not self.request.user.has_perm("communities.change_area", parent):
            raise PermissionDenied
        try:
            area = services.area_create(
                name=data["name"],
                kind=Area.Kind.AREA,
                parent=parent,
                type_label=data["type_label"],
                gss_code=data["gss_code"],
                boundary=data["boundary"],
                wards=data["wards"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{area.name} created.")
        return redirect(area)


class AreaUpdateView(AreaMixin, FormView):
    template_name = "communities/area_form.html"
    form_class = AreaForm
    permission_required = "communities.change_area"

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["scope"] = _scope(self.request)
        kwargs["instance"] = self.area
        return kwargs

    def get_initial(self) -> dict:
        initial = super().get_initial()
        if self.request.method == "GET":
            # The boundary is read only to show it: a POST brings its own.
            initial["boundary"] = selectors.area_boundary(area=self.area)
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.area_update(
                area=self.area,
                name=data["name"],
                type_label=data["type_label"],
                gss_code=data["gss_code"],
                parent=data.get("parent", self.area.parent),
                boundary=data["boundary"],
                wards=data.get("wards") if "wards" in form.fields else None,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{self.area.name} saved.")
        return redirect(self.area)


class CapacityCreateView(RulePermissionMixin, FormView):
    """Record a capacity assessment of an area or a community of interest."""

    template_name = "communities/capacity_form.html"
    form_class = CapacityAssessmentForm
    permission_required = "communities.add_capacityassessment"

    @cached_property
    def subject(self):
        if "community" in self.kwargs:
            return get_object_or_404(CommunityOfInterest, pk=self.kwargs["community"])
        try:
            return selectors.area_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
        except Area.DoesNotExist:
            raise Http404 from None

    def get_permission_object(self):
        if not self.request.user.is_authenticated:
            return None
        if isinstance(self.subject, CommunityOfInterest):
            # Any area of the officer's: communities of interest cross boundaries.
            return _scope(self.request).first()
        return self.subject

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["subject"] = self.subject
        context["figures"] = selectors.capacity_register_figures(
            **(
                {"community": self.subject}
                if isinstance(self.subject, CommunityOfInterest)
                else {"area": self.subject}
            )
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        subject = (
            {"community": self.subject}
            if isinstance(self.subject, CommunityOfInterest)
            else {"area": self.subject}
        )
        previous = selectors.capacity_assessment_on(day=data["assessed_on"], **subject)
        services.capacity_assessment_record(
            actor=self.request.user,
            assessed_on=data["assessed_on"],
            volunteers=data["volunteers"],
            digital_skills=data["digital_skills"],
            confidence=data["confidence"],
            notes=data["notes"],
            **subject,
        )
        if previous is None:
            messages.success(self.request, "Assessment recorded.")
        else:
            # One assessment a day: the earlier one is replaced, which is said, never silent.
            by = (
                "you"
                if previous.assessed_by_id == self.request.user.pk
                else (previous.assessed_by.full_name if previous.assessed_by else "someone")
            )
            messages.success(
                self.request,
                f"Assessment for {data['assessed_on']:%-d %B %Y} corrected: it replaces the "
                f"one {by} recorded for that day.",
            )
        if isinstance(self.subject, CommunityOfInterest):
            return redirect("communities:community_detail", pk=self.subject.pk)
        return redirect(self.subject)


# -- Communities of interest ------------------------------------------------------------


class CommunityListView(RulePermissionMixin, TemplateView):
    template_name = "communities/community_list.html"
    permission_required = "communities.view_community_list"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["communities"] = list(selectors.community_list_with_figures())
        return context


class CommunityDetailView(RulePermissionMixin, TemplateView):
    template_name = "communities/community_detail.html"
    permission_required = "communities.view_community_list"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        community = get_object_or_404(CommunityOfInterest, pk=self.kwargs["pk"])
        assessments = selectors.capacity_history(community=community)
        council = _scope(self.request).filter(kind=Area.Kind.COUNCIL).first()
        context.update(
            {
                "community": community,
                "assessments": assessments,
                "capacity_charts": _capacity_charts(assessments),
                "assets": list(
                    selectors.asset_list_for_user(
                        user=self.request.user,
                        filters=selectors.AssetFilters(community=community),
                    )
                ),
                "population": selectors.community_population(community=community, area=council)
                if council
                else [],
                "council": council,
                "can_assess": self.request.user.has_perm("communities.import_data"),
            }
        )
        return context


# -- Assets: public ----------------------------------------------------------------------


def _filters(request, areas) -> tuple[AssetFilterForm, selectors.AssetFilters]:
    form = AssetFilterForm(request.GET or None, areas=areas)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, selectors.AssetFilters(
            kind=data["kind"],
            category=data["category"],
            area=data["area"],
            community=data["community"],
            search=data["q"],
        )
    return form, selectors.AssetFilters()


class AssetMapView(TemplateView):
    """The public map of community assets, with the same places in a list beneath it."""

    template_name = "communities/asset_map.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        form, filters = _filters(self.request, Area.objects.all())
        assets = list(selectors.asset_list_public(filters=filters))
        context.update(
            {
                "form": form,
                "assets": assets,
                "mapped": sum(1 for asset in assets if asset.has_location),
                "geojson_url": reverse("communities:asset_geojson")
                + (f"?{self.request.GET.urlencode()}" if self.request.GET else ""),
                "tile_url": settings.MAP_TILE_URL,
                "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            }
        )
        return context


class AssetGeoJsonView(View):
    def get(self, request):
        form, filters = _filters(request, Area.objects.all())
        if form.is_bound and not form.is_valid():
            return JsonResponse({"detail": "Invalid filter.", "errors": form.errors}, status=400)
        data = selectors.asset_geojson(assets=selectors.asset_list_public(filters=filters))
        return JsonResponse(data, content_type="application/geo+json")


class OrukExportView(View):
    """The published register as an Open Referral UK feed (JSON)."""

    def get(self, request):
        data = oruk_export(
            assets=selectors.asset_list_public(filters=selectors.AssetFilters()),
            council_name=settings.COUNCIL_NAME,
        )
        response = HttpResponse(json.dumps(data, indent=1), content_type="application/json")
        if request.GET.get("download"):
            response["Content-Disposition"] = 'attachment; filename="open-referral-uk.json"'
        return response


# Suggestions one connection may send in an hour: a person suggests a few; a script, many.
SUGGESTIONS_PER_HOUR = 20


class AssetSuggestView(FormView):
    template_name = "communities/asset_suggest.html"
    form_class = AssetSuggestionForm

    def _over_limit(self) -> bool:
        key = f"communities:suggestions:{self.request.META.get('REMOTE_ADDR', '')}"
        suggestions = count(key, timeout=60 * 60, what="suggestions counted per process")
        return suggestions > SUGGESTIONS_PER_HOUR

    def form_valid(self, form):
        if self._over_limit():
            form.add_error(
                None,
                "Too many suggestions have been sent from this connection in the last hour. "
                "Try again later.",
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        data = form.cleaned_data
        try:
            services.asset_suggest(**data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return redirect("communities:asset_suggest_done")


class AssetSuggestDoneView(TemplateView):
    template_name = "communities/asset_suggest_done.html"


# -- Assets: the register ----------------------------------------------------------------

MODERATION_TABS = [
    ("", "Published"),
    (Asset.Moderation.SUGGESTED, "Awaiting review"),
    (Asset.Moderation.REJECTED, "Rejected"),
    ("archived", "Archived"),
]


class AssetListView(RulePermissionMixin, TemplateView):
    template_name = "communities/asset_list.html"
    permission_required = "communities.view_asset_register"

    def _assets(self):
        form, filters = _filters(self.request, _scope(self.request))
        tab = self.request.GET.get("show", "")
        if tab not in dict(MODERATION_TABS):
            tab = ""
        assets = selectors.asset_list_for_user(
            user=self.request.user,
            filters=filters,
            moderation=Asset.Moderation.PUBLISHED
            if tab == ""
            else ("" if tab == "archived" else tab),
            archived=tab == "archived",
        )
        return form, tab, assets

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            _form, _tab, assets = self._assets()
            return asset_csv(
                assets, include_contacts=request.user.has_perm("communities.add_asset")
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        form, tab, assets = self._assets()
        query = self.request.GET.copy()
        query.pop("show", None)
        context.update(
            {
                "form": form,
                "tab": tab,
                "tabs": MODERATION_TABS,
                "assets": list(assets),
                "query": query.urlencode(),
                "can_add": self.request.user.has_perm("communities.add_asset"),
                "awaiting": selectors.asset_list_for_user(
                    user=self.request.user,
                    filters=selectors.AssetFilters(),
                    moderation=Asset.Moderation.SUGGESTED,
                ).count(),
            }
        )
        return context


CSV_HEADER = [
    "id",
    "name",
    "kind",
    "type",
    "status",
    "review",
    "area",
    "area_code",
    "address",
    "postcode",
    "latitude",
    "longitude",
    "communities",
    "opening_times",
    "capacity",
    "website",
    "charity_number",
    "company_number",
    "run_by",
    "last_verified_on",
    "verified_by",
]
CONTACT_HEADER = ["contact_name", "contact_email", "contact_phone"]


def asset_csv(assets, *, include_contacts: bool):
    def rows():
        for asset in assets.iterator(chunk_size=500):
            row = [
                asset.pk,
                asset.name,
                asset.get_kind_display(),
                asset.get_category_display(),
                asset.get_status_display(),
                asset.get_moderation_display(),
                asset.area.name,
                asset.area.gss_code,
                asset.address,
                asset.postcode,
                asset.latitude,
                asset.longitude,
                "; ".join(c.name for c in asset.communities.all()),
                asset.opening_times,
                asset.capacity,
                asset.website,
                asset.charity_number,
                asset.company_number,
                asset.run_by.name if asset.run_by else "",
                asset.last_verified_on,
                str(asset.verified_by) if asset.verified_by else "",
            ]
            if include_contacts:
                row += [asset.contact_name, asset.contact_email, asset.contact_phone]
            yield row

    header = CSV_HEADER + (CONTACT_HEADER if include_contacts else [])
    return csv_response(filename="community-assets.csv", header=header, rows=rows())


class AssetMixin(RulePermissionMixin):
    permission_required = "communities.view_asset"

    @cached_property
    def asset(self) -> Asset:
        try:
            return selectors.asset_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
        except Asset.DoesNotExist:
            raise Http404 from None

    def get_permission_object(self):
        if not self.request.user.is_authenticated:
            return None
        return self.asset

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["asset"] = self.asset
        return context


class AssetDetailView(AssetMixin, TemplateView):
    template_name = "communities/asset_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["can_change"] = self.request.user.has_perm("communities.change_asset", self.asset)
        context["show_person"] = self.request.user.has_perm("communities.add_asset")
        return context


def _asset_fields(data: dict) -> dict:
    fields = {name: data[name] for name in services.ASSET_FIELDS if name in data}
    fields.pop("kind", None)
    for name in ("run_by", "person"):
        if name in fields and fields[name] == "":
            fields[name] = None
    return fields


def _warn_if_unplaced(request, asset: Asset) -> None:
    """Say so when a postcode could not place the asset on the map (not in the directory)."""
    if asset.postcode and asset.latitude is None and asset.kind != Asset.Kind.SKILL:
        messages.warning(
            request,
            f"{asset.postcode} is not in the council's postcode directory, so "
            f"{asset.name} is not on the map: check the postcode, or enter its latitude "
            "and longitude.",
        )


class AssetCreateView(RulePermissionMixin, FormView):
    template_name = "communities/asset_form.html"
    form_class = AssetForm
    permission_required = "communities.add_asset"

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["scope"] = _scope(self.request)
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        fields = _asset_fields(data)
        for name in ("kind", "category", "name", "area"):
            fields.pop(name, None)
        try:
            asset = services.asset_create(
                actor=self.request.user,
                kind=data["kind"],
                category=data["category"],
                name=data["name"],
                area=data["area"],
                communities=data["communities"],
                consent_recorded=data.get("consent_recorded", False),
                **fields,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{asset.name} added to the register.")
        _warn_if_unplaced(self.request, asset)
        return redirect(asset)


class AssetUpdateView(AssetMixin, FormView):
    template_name = "communities/asset_form.html"
    form_class = AssetForm
    permission_required = "communities.change_asset"

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["scope"] = _scope(self.request)
        kwargs["instance"] = self.asset
        kwargs["initial"] = {"communities": list(self.asset.communities.all())}
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            asset = services.asset_update(
                actor=self.request.user,
                asset=self.asset,
                expected_version=data["version"],
                communities=data["communities"],
                **_asset_fields(data),
            )
        except EditConflictError:
            return conflict_response(self, form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{self.asset.name} saved.")
        _warn_if_unplaced(self.request, asset)
        return redirect(self.asset)


class AssetActionView(AssetMixin, View):
    """Verify, archive, restore, publish or reject an asset, or withdraw a skill's consent.
    POST only."""

    permission_required = "communities.change_asset"
    actions = {
        "verify": (
            lambda actor, asset: services.asset_verify(actor=actor, asset=asset),
            "Marked as checked today.",
        ),
        "archive": (
            lambda actor, asset: services.asset_archive(actor=actor, asset=asset),
            "Archived.",
        ),
        "restore": (
            lambda actor, asset: services.asset_restore(actor=actor, asset=asset),
            "Restored.",
        ),
        "publish": (
            lambda actor, asset: services.asset_moderate(actor=actor, asset=asset, publish=True),
            "Published on the map.",
        ),
        "reject": (
            lambda actor, asset: services.asset_moderate(actor=actor, asset=asset, publish=False),
            "Suggestion rejected.",
        ),
        "withdraw_consent": (
            lambda actor, asset: services.skill_consent_withdraw(actor=actor, asset=asset),
            "Consent withdrawn: the skill is off the register.",
        ),
    }

    def post(self, request, pk):
        action = request.POST.get("action", "")
        if action not in self.actions:
            return HttpResponse("Unknown action.", status=400)
        if action == "withdraw_consent" and self.asset.kind != Asset.Kind.SKILL:
            return HttpResponse("Only a skill has consent to withdraw.", status=400)
        run, message = self.actions[action]
        run(request.user, self.asset)
        messages.success(request, message)
        return HttpResponseRedirect(self.asset.get_absolute_url())


# -- Imports -----------------------------------------------------------------------------


class ImportView(RulePermissionMixin, FormView):
    template_name = "communities/import_form.html"
    form_class = ImportForm
    permission_required = "communities.import_data"

    def form_valid(self, form):
        data = form.cleaned_data
        params = {}
        if data["kind"] == "census" and data["table"]:
            params["table"] = data["table"]
        if data["kind"] == "lookup" and data["council"]:
            params["council_code"] = data["council"].strip().upper()
        job = job_create(
            kind=f"communities.{data['kind']}_import",
            created_by=self.request.user,
            params=params,
            upload=data["file"],
        )
        return redirect(job)
