"""Inclusion figures on other apps' pages: who voted in a priority cycle (the board
member's page, the cycle's page) and who took part in a partnership (the Cabinet update).

Each tag finds the latest finished report on the scope and shows its headline figures:
the council's figures to those who may read them, else the published ones.
"""

from django import template
from django.db.models import Q

from coproduction.accounts.rules import is_council_staff
from engagement.inclusion.disclosure import INTERNAL, PUBLISHED
from engagement.inclusion.models import Report, ScopeKind
from engagement.inclusion.scopes import scope_key

register = template.Library()

SUMMARY_DIMENSIONS = ("age", "sex", "ethnic_group", "disability")


def _card(report: Report | None, *, mode: str, scope_label: str, request_scope: str) -> dict:
    if report is None:
        return {"report": None, "scope_label": scope_label, "request_scope": request_scope}
    results = report.figures(mode)
    dimensions = [
        {
            "label": d["label"],
            # The broad groups' when every detailed group is hidden (ethnic group).
            "dissimilarity": next(
                (
                    s["dissimilarity"]
                    for s in (d.get("summary"), d.get("summary_groups"))
                    if s and s.get("dissimilarity") is not None
                ),
                None,
            ),
            "response_rate": d["response"].get("response_rate"),
            "shown": d["shown"],
        }
        for d in results.get("dimensions", [])
        if d["code"] in SUMMARY_DIMENSIONS
    ]
    return {
        "report": report,
        "mode": mode,
        "results": results,
        "dimensions": dimensions,
        "missing": results.get("missing", [])[:3],
        "scope_label": scope_label,
        "request_scope": request_scope,
        "link": report.get_absolute_url() if mode == INTERNAL else "",
    }


def _mode(user, report: Report | None) -> str | None:
    if report is None or user is None or not user.is_authenticated:
        return PUBLISHED
    if user.has_perm("inclusion.view_report", report):
        return INTERNAL
    return PUBLISHED


@register.inclusion_tag("inclusion/includes/summary_card.html", takes_context=True)
def inclusion_voters(context, cycle):
    """Who voted in a priority cycle, against the partnership area's residents."""
    key = scope_key(ScopeKind.PRIORITY_CYCLE, cycle)
    report = Report.objects.finished().filter(scope_key=key).order_by("-period_end", "-pk").first()
    request = context.get("request")
    user = getattr(request, "user", None)
    card = _card(report, mode=_mode(user, report), scope_label=cycle.title, request_scope=key)
    # The rule's predicate itself: has_perm would fall through to the model backend's
    # two permission queries for everyone it refuses.
    card["may_request"] = bool(user is not None and is_council_staff(user))
    return card


@register.inclusion_tag("inclusion/includes/summary_card.html")
def inclusion_partnership(update):
    """Who took part in a partnership's work in a Cabinet update's period (published
    figures: the update goes beyond the council's staff)."""
    partnership = update.partnership
    keys = [
        scope_key(ScopeKind.PARTNERSHIP, partnership),
        scope_key(ScopeKind.AREA, partnership.area),
    ]
    report = (
        Report.objects.finished()
        .filter(scope_key__in=keys, period_end__lte=update.end)
        .filter(Q(period_end__gte=update.start) | Q(period_start__gte=update.start))
        .order_by("-period_end", "scope_kind", "-pk")
        .first()
    )
    card = _card(report, mode=PUBLISHED, scope_label=str(partnership), request_scope=keys[0])
    card["may_request"] = False
    return card
