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
    concentration = results.get("concentration") or {}
    for key in ("gini", "top_10_share", "top_1_share", "top_10_people_share", "effective_voices"):
        yield _row("usual_suspects", "", "", key, key, share=concentration.get(key))
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
