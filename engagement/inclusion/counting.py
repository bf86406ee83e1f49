"""The one aggregate query beneath every report.

Distinct participants in scope and period come from the summary (ScopeActivity); each
is joined to their profile and to the equality answers in force at the period's end,
then counted once per grouping set. PostgreSQL does it in one pass with GROUPING SETS;
SQLite, which has none, with one GROUP BY per set over the same rows. Nothing about a
person leaves the database: the result is a few hundred (set, key, count) rows.
"""

# The SQL here is assembled from this module's own constants (table and column names,
# fixed fragments); every value is passed as a query parameter.
# ruff: noqa: S608

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection, transaction

from .activity import ACTIVITY
from .models import ScopeKind

# Columns of the per-person rows that the grouping sets use.
COLUMNS = (
    "age",
    "sex",
    "gi",
    "so",
    "eth",
    "dis",
    "rel",
    "young",
    "minor",
    "ward",
    "lsoa",
    "channels",
    "kinds",
    "actions",
    "cohort",
)
SETS: dict[str, tuple[str, ...]] = {
    "total": (),
    "age": ("age",),
    "sex": ("sex",),
    "gender_identity": ("gi", "young"),
    "sexual_orientation": ("so", "young"),
    "ethnic_group": ("eth",),
    "disability": ("dis",),
    "religion": ("rel",),
    # Where people live is counted apart for those younger than the report's youngest
    # age, since the residents they are compared with are of eligible age only.
    "ward": ("ward", "minor"),
    "lsoa": ("lsoa", "minor"),
    "channels": ("channels",),
    "kinds": ("kinds",),
    "actions": ("actions",),
    "cohort": ("cohort",),
    "cohort_age": ("cohort", "age"),
    "cohort_sex": ("cohort", "sex"),
    "cohort_ethnic_group": ("cohort", "eth"),
    "cohort_disability": ("cohort", "dis"),
}
# Cohorts of the "usual suspects" comparison, one bit each: a person can be both (a
# first-timer already in three other projects).
REPEAT, NEWCOMER = 1, 2
REPEAT_PROJECTS = 3
REPEAT_MONTHS = 24
# Age sentinel for "prefer not to say".
AGE_PREFER_NOT = -1


def _grouping_bits(columns: tuple[str, ...]) -> int:
    """What PostgreSQL's GROUPING(all columns) returns for a set: 1 bits for the columns
    not grouped, the first column being the most significant bit."""
    bits = 0
    for column in COLUMNS:
        bits = (bits << 1) | (0 if column in columns else 1)
    return bits


SET_BY_BITS = {_grouping_bits(columns): name for name, columns in SETS.items()}


@dataclass
class Aggregates:
    """(set name) -> {key tuple: (people, actions)}."""

    sets: dict[str, dict[tuple, tuple[int, int]]] = field(default_factory=dict)

    def counts(self, name: str) -> dict[tuple, int]:
        return {key: people for key, (people, _actions) in self.sets.get(name, {}).items()}

    @property
    def participants(self) -> int:
        return self.sets.get("total", {}).get((), (0, 0))[0]

    @property
    def actions(self) -> int:
        return self.sets.get("total", {}).get((), (0, 0))[1]


def _months_back(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Query:
    sql: str
    params: list


def build_query(
    *,
    kind: int,
    scope_ids: tuple[int, ...],
    start: date,
    end: date,
    answers_at: datetime,
    reference_year: int,
    minimum_age: int,
    own_project_id: int = 0,
) -> Query:
    """The SQL and its parameters (start and end are the first days of the first and last
    months; answers_at is the moment the period ends; minimum_age is the report's
    youngest eligible age)."""
    postgres = connection.vendor == "postgresql"
    params: list = []
    if postgres:
        scope_filter = "a.scope_id = ANY(%s)"
        params_scope = [list(scope_ids)]
        bit_or = "bit_or"
    else:
        scope_filter = f"a.scope_id IN ({', '.join(['%s'] * len(scope_ids))})"
        params_scope = list(scope_ids)
        bit_or = None
    if bit_or:
        masks = "bit_or(a.channels) AS channels, bit_or(a.kinds) AS kinds"
    else:
        # SQLite has no bit_or: one MAX per bit, added up.
        channel_bits = " + ".join(f"MAX(a.channels & {1 << b})" for b in range(5))
        kind_bits = " + ".join(f"MAX(a.kinds & {1 << b})" for b in range(8))
        masks = f"{channel_bits} AS channels, {kind_bits} AS kinds"
    programme = kind == ScopeKind.PROGRAMME
    if programme:
        # The whole programme: one pass over everyone's programme rows up to the period's
        # end, in participant order (inclusion_activity_programme), gives both what they
        # did in the period and whether they took part before it (newcomers), where
        # other scopes look the latter up per person.
        sp = (
            f"SELECT a.participant_id, SUM(a.actions) AS actions, {masks}, "
            "MAX(a.earlier) AS earlier FROM ("
            "SELECT a.participant_id, "
            "CASE WHEN a.month >= %s THEN a.actions END AS actions, "
            "CASE WHEN a.month >= %s THEN a.channels END AS channels, "
            "CASE WHEN a.month >= %s THEN a.kinds END AS kinds, "
            "CASE WHEN a.month < %s THEN 1 ELSE 0 END AS earlier "
            f"FROM {ACTIVITY} a WHERE a.scope_kind = %s AND {scope_filter} AND a.month <= %s"
            ") a GROUP BY a.participant_id HAVING SUM(a.actions) IS NOT NULL"
        )
        params += [start, start, start, start, kind, *params_scope, end]
    else:
        sp = (
            f"SELECT a.participant_id, SUM(a.actions) AS actions, {masks} "
            f"FROM {ACTIVITY} a WHERE a.scope_kind = %s AND {scope_filter} "
            "AND a.month >= %s AND a.month <= %s GROUP BY a.participant_id"
        )
        params += [kind, *params_scope, start, end]
    since = _months_back(end, REPEAT_MONTHS - 1)
    # People active in at least 3 (other) projects in the 24 months to the period's end:
    # distinct (person, project) pairs first, then counted, joined to sp rather than
    # filtered by IN so the planner sees how many people there are.
    # (The whole programme's participants are nearly everyone: no need to join them.)
    among = "" if programme else "JOIN sp ON sp.participant_id = a.participant_id "
    projects = (
        "SELECT x.participant_id FROM (SELECT DISTINCT a.participant_id, a.scope_id "
        f"FROM {ACTIVITY} a {among}"
        "WHERE a.scope_kind = %s AND a.month >= %s AND a.month <= %s AND a.scope_id <> %s"
        ") x GROUP BY x.participant_id HAVING COUNT(*) >= %s"
    )
    params_projects = [int(ScopeKind.PROJECT), since, end, own_project_id, REPEAT_PROJECTS]
    if programme:
        newcomer = "sp.earlier = 0"
        newcomer_params = []
    else:
        newcomer = (
            f"NOT EXISTS (SELECT 1 FROM {ACTIVITY} b WHERE b.participant_id = sp.participant_id "
            "AND b.scope_kind = %s AND b.month < %s)"
        )
        newcomer_params = [int(ScopeKind.PROGRAMME), start]

    def pick(column: str) -> str:
        # The answers in force when the period ended; for someone who first answered
        # after it, their current answers.
        return f"CASE WHEN e.id IS NOT NULL THEN e.{column} ELSE c.{column} END"

    yob, pnts = pick("year_of_birth"), pick("age_prefer_not_to_say")
    person = f"""
        SELECT
            CASE WHEN {pnts} THEN %s
                 WHEN {yob} IS NULL THEN NULL
                 ELSE %s - {yob} END AS age,
            COALESCE({pick("sex")}, '') AS sex,
            COALESCE({pick("gender_identity")}, '') AS gi,
            COALESCE({pick("sexual_orientation")}, '') AS so,
            COALESCE({pick("ethnic_group")}, '') AS eth,
            COALESCE({pick("disability")}, '') AS dis,
            COALESCE({pick("religion")}, '') AS rel,
            CASE WHEN {yob} IS NOT NULL AND NOT {pnts}
                      AND %s - {yob} < 16 THEN 1 ELSE 0 END AS young,
            CASE WHEN {yob} IS NOT NULL AND NOT {pnts}
                      AND %s - {yob} < %s THEN 1 ELSE 0 END AS minor,
            p.home_ward_id AS ward,
            p.home_lsoa_id AS lsoa,
            sp.channels AS channels,
            sp.kinds AS kinds,
            sp.actions AS actions,
            CASE WHEN pr.participant_id IS NOT NULL THEN %s ELSE 0 END
              + CASE WHEN {newcomer} THEN %s ELSE 0 END AS cohort
        FROM sp
        JOIN engagement_participant p ON p.id = sp.participant_id
        LEFT JOIN projects pr ON pr.participant_id = sp.participant_id
        LEFT JOIN engagement_equalityresponse e
          ON e.pseudonym = p.pseudonym
         AND e.recorded_at < %s
         AND (e.superseded_at IS NULL OR e.superseded_at >= %s)
        LEFT JOIN engagement_equalityresponse c
          ON c.pseudonym = p.pseudonym
         AND c.superseded_at IS NULL
    """
    # The placeholders, in the order they appear in the text above.
    person_params = [
        AGE_PREFER_NOT,
        reference_year,
        reference_year,
        reference_year,
        minimum_age,
        REPEAT,
        *newcomer_params,
        NEWCOMER,
        answers_at,
        answers_at,
    ]
    # person is MATERIALIZED: its expressions are worked out once, not once per set.
    cte = (
        f"WITH sp AS ({sp}), projects AS ({projects}), "
        f"person AS {'MATERIALIZED ' if postgres else ''}({person}) "
    )
    params += params_projects + person_params
    if postgres:
        sets = ", ".join(f"({', '.join(columns)})" for columns in SETS.values())
        select = (
            f"SELECT GROUPING({', '.join(COLUMNS)}) AS g, {', '.join(COLUMNS)}, "
            f"COUNT(*), SUM(actions) FROM person GROUP BY GROUPING SETS ({sets})"
        )
    else:
        branches = []
        for columns in SETS.values():
            keys = ", ".join(c if c in columns else f"NULL AS {c}" for c in COLUMNS)
            group = f" GROUP BY {', '.join(columns)}" if columns else ""
            branches.append(
                f"SELECT {_grouping_bits(columns)} AS g, {keys}, COUNT(*), SUM(actions) "
                f"FROM person{group}"
            )
        select = " UNION ALL ".join(branches)
    return Query(cte + select, params)


def run_query(query: Query) -> Aggregates:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner's row estimates for this many joins and grouping sets are far
            # above the truth, and would have it spend seconds compiling the query (JIT)
            # that runs in a fraction of that.
            cursor.execute("SET LOCAL jit = off")
            # Room to hash every grouping set in one pass instead of sorting for some.
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(query.sql, query.params)
        rows = cursor.fetchall()
    result: dict[str, dict[tuple, tuple[int, int]]] = defaultdict(dict)
    positions = {column: index + 1 for index, column in enumerate(COLUMNS)}
    for row in rows:
        name = SET_BY_BITS[row[0]]
        people = int(row[-2] or 0)
        if name == "total" and people == 0:
            continue
        key = tuple(row[positions[c]] for c in SETS[name])
        result[name][key] = (people, int(row[-1] or 0))
    return Aggregates(sets=dict(result))
