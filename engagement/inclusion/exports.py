"""A report's figures as CSV rows and as the JSON document its schema describes.

Both are written from one stored result (staff's or the published one), never from the
database: what a download holds is exactly what the page shows.
"""

from collections.abc import Iterator

CSV_HEADER = [
    "section",
    "dimension",
    "level",
    "code",
    "label",
    "count",
    "share",
    "census_share",
    "expected",
    "representation_ratio",
    "ratio_low_95",
    "ratio_high_95",
    "flag",
    "p_value_holm",
    "note",
]
SUPPRESSED = "suppressed"


def _row(section, dimension, level, code, label, count=None, **values) -> list:
    return [
        section,
        dimension,
        level,
        code,
        label,
        SUPPRESSED if values.pop("suppressed", False) else count,
        values.get("share"),
        values.get("census_share"),
        values.get("expected"),
        values.get("ratio"),
        values.get("ratio_low"),
        values.get("ratio_high"),
        values.get("flag"),
        values.get("p_value"),
        values.get("note", ""),
    ]


def csv_rows(results: dict) -> Iterator[list]:
    period = results.get("period") or {}
    if period:
        counted_to = period.get("counted_to")
        yield _row(
            "header",
            "",
            "",
            "period",
            period.get("label", ""),
            note=f"{period.get('start')} to {period.get('end')}"
            + (f"; the last month counted as recorded by {counted_to}" if counted_to else ""),
        )
    yield _row("header", "", "", "participants", "Participants", results.get("participants"))
    yield _row("header", "", "", "actions", "Qualifying actions", results.get("actions"))
    for dim in results.get("dimensions", []):
        response = dim["response"]
        for key in ("answered", "prefer_not_to_say", "not_answered", "outside_universe"):
            count = response.get(key)
            yield _row(
                "response",
                dim["code"],
                "",
                key,
                key.replace("_", " ").capitalize(),
                count,
                suppressed=count is None,
            )
        if not dim["shown"]:
            yield _row("who_took_part", dim["code"], "", "", "", note=dim["reason"])
            continue
        for group in dim["groups"]:
            yield _row(
                "who_took_part",
                dim["code"],
                group["level"],
                group["code"],
                group["label"],
                group["count"],
                suppressed=group["suppressed"],
                share=group["share"],
                census_share=group["census_share"],
                expected=group["expected"],
                ratio=group["ratio"],
                ratio_low=group["ratio_low"],
                ratio_high=group["ratio_high"],
                flag=group["flag"],
                p_value=group["p_value"],
            )
        for pool in dim.get("pooled") or []:
            yield _row(
                "who_took_part",
                dim["code"],
                "pooled",
                "+".join(pool["codes"]),
                pool["label"],
                pool["count"],
                expected=pool["expected"],
                census_share=pool["census_share"],
                ratio=pool["ratio"],
                ratio_low=pool["ratio_low"],
                ratio_high=pool["ratio_high"],
                flag=pool["flag"],
                note=f"fewer than {pool['count_below']}" if pool.get("count_below") else "",
            )
        for summary in (dim["summary"], dim.get("summary_groups")):
            if not summary:
                continue
            for key in ("dissimilarity", "similarity", "r_score", "cv"):
                yield _row("summary", dim["code"], summary["level"], key, key, share=summary[key])
            test = summary["test"]
            yield _row(
                "summary",
                dim["code"],
                summary["level"],
                "test",
                test["method"],
                share=test["statistic"],
                p_value=test["p_value"],
                note=f"Cohen's w {test['cohens_w']}"
                if test["cohens_w"] is not None
                else test["reason"],
            )
    geography = results.get("geography") or {}
    for unit in geography.get("units", []):
        yield _row(
            "where_participants_live",
            geography["unit_kind"],
            "",
            unit["id"],
            unit["name"],
            unit["count"],
            suppressed=unit["suppressed"],
            share=unit["per_1000"],
            note=f"per 1,000 of {unit['residents']} residents",
        )
    yield _row(
        "where_participants_live", "", "", "hoover", "Hoover index", share=geography.get("hoover")
    )
    deprivation = results.get("deprivation") or {}
    for row in deprivation.get("deciles", []):
        yield _row(
            "deprivation",
            f"IMD {deprivation.get('edition')}",
            "decile",
            row["decile"],
            f"Decile {row['decile']}",
            row["count"],
            suppressed=row["suppressed"],
            share=row["share"],
            census_share=row["census_share"],
            ratio=row["ratio"],
        )
    yield from _deprivation_rows(deprivation)
    concentration = results.get("concentration") or {}
    for key in ("gini", "top_10_share", "top_1_share", "top_10_people_share", "effective_voices"):
        yield _row("usual_suspects", "", "", key, key, share=concentration.get(key))
    for key, label in (
        ("repeat", "Active in 3 or more projects in 24 months"),
        ("newcomers", "Newcomers"),
    ):
        cohort = concentration.get(key) or {}
        if cohort:
            actions_share = cohort.get("actions_share")
            yield _row(
                "usual_suspects",
                "",
                "cohort",
                key,
                label,
                cohort.get("count"),
                suppressed=cohort.get("count") is None,
                share=cohort.get("share"),
                note="" if actions_share is None else f"share of actions {actions_share}",
            )
    yield from _mix_rows(results.get("mix") or {})
    yield from _change_rows(results.get("change"))
    for target in results.get("targets", []):
        yield _row(
            "targets",
            target["dimension"],
            "",
            target["code"],
            target["label"],
            share=target["share"],
            note=f"{target['minimum']}-{target['maximum']}%: {target['status']}",
        )
    for item in results.get("missing", []):
        yield _row(
            "who_is_missing",
            item["dimension"],
            "",
            item["code"],
            item["label"],
            note=item["sentence"],
        )


def _deprivation_rows(deprivation: dict) -> Iterator[list]:
    if not deprivation.get("edition"):
        return  # no deprivation scores for the area's neighbourhoods
    edition = f"IMD {deprivation['edition']}"
    placed = deprivation.get("participants_placed")
    yield _row(
        "deprivation",
        edition,
        "",
        "participants_placed",
        "Participants placed in a scored neighbourhood",
        placed,
        suppressed=placed is None,
    )
    most = deprivation.get("most_deprived")
    if most:
        yield _row(
            "deprivation",
            edition,
            "most_deprived_20",
            "1+2",
            "Most deprived 20% (deciles 1 and 2)",
            most["count"],
            share=most["share"],
            census_share=most["census_share"],
            ratio=most["ratio"],
            ratio_low=most["ratio_low"],
            ratio_high=most["ratio_high"],
            flag=most["flag"],
        )
    coverage = deprivation.get("coverage") or {}
    if coverage.get("lsoas"):
        yield _row(
            "deprivation",
            edition,
            "coverage",
            "lsoas_reached",
            "Neighbourhoods in deciles 1 and 2 with a participant",
            coverage.get("reached"),
            share=coverage.get("share"),
            note=f"of {coverage['lsoas']} neighbourhoods",
        )
    gradient = deprivation.get("gradient") or {}
    yield _row(
        "deprivation",
        edition,
        "gradient",
        "slope",
        "Gradient (participants per 1,000 residents per decile)",
        share=gradient.get("slope"),
        note="withheld: some deciles are too small to show"
        if deprivation.get("gradient_withheld")
        else f"Spearman {gradient.get('spearman')}",
    )


def _mix_rows(mix: dict) -> Iterator[list]:
    for dimension in ("channels", "kinds"):
        for row in mix.get(dimension, []):
            yield _row(
                "mix",
                dimension,
                "",
                row["code"],
                row["label"],
                row["count"],
                suppressed=row.get("suppressed", False),
                share=row.get("share"),
            )
    ladder = mix.get("ladder") or {}
    for row in ladder.get("by_rung", []):
        yield _row(
            "ladder",
            "rung",
            row["group"],
            row["rung"],
            row["label"],
            row["actual"],
            note=f"projects aiming for this rung: {row['target']}",
        )
    if "rung_not_assessed" in ladder:
        yield _row(
            "ladder", "rung", "", "not_assessed", "Not assessed", ladder["rung_not_assessed"]
        )
    for key, dimension in (("by_mode", "mode"), ("by_stage", "stage")):
        for row in ladder.get(key, []):
            yield _row("ladder", dimension, "", row["code"], row["label"], row["projects"])
    for row in ladder.get("roster_levels", []):
        yield _row(
            "ladder",
            "roster_level",
            "",
            row["code"],
            row["label"],
            row["people"],
            suppressed=row["people"] is None,
            note="people",
        )


def _change_rows(change: dict | None) -> Iterator[list]:
    if not change:
        return
    yield _row(
        "change",
        "",
        "",
        "participants",
        "Participants",
        change.get("participants_change"),
        note=f"{change.get('participants_before')} then {change.get('participants_now')}, "
        f"against report {change.get('previous_report')} ({change.get('previous_period')})",
    )
    for dim in change.get("dimensions", []):
        yield _row(
            "change",
            dim["code"],
            "summary",
            "dissimilarity",
            "Dissimilarity index",
            share=dim.get("dissimilarity_change"),
            note=f"{dim.get('dissimilarity_before')} then {dim.get('dissimilarity_now')}",
        )
        for row in dim.get("groups", []):
            yield _row(
                "change",
                dim["code"],
                "group",
                row["code"],
                row["label"],
                share=row["share_change"],
                ratio=row["ratio_now"],
                flag=row["flag_now"],
                note=f"share {row['share_before']} then {row['share_now']}; "
                f"ratio {row['ratio_before']} then {row['ratio_now']}; "
                f"flag {row['flag_before']} then {row['flag_now']}",
            )
