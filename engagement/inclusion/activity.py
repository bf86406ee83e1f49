"""The summary the reports count (ScopeActivity), kept in step with the ledger.

Database triggers on the ledger (every insert, update and delete, whatever wrote it:
a service, a bulk import, a cascade) and on events (a change of series) queue what must
be rebuilt: on PostgreSQL the months concerned of each participant (StaleMonth), so that
an action costs a rebuild of its month and not of a long history; on SQLite, which cannot
work out a UK month in a trigger, the participant (StaleParticipant). `activity_refresh`
rebuilds the queued rows from the ledger in one aggregate INSERT ... SELECT per batch
(on PostgreSQL a month at a time, a person queued whole becoming their months, so that
two refreshes at once never rebuild the same rows); beat runs it every minute and every
report runs it first, inside its own transaction, so a report always counts the ledger
as it stands.
"""

# The SQL here is assembled from this module's own constants (table and column names,
# fixed fragments); every value is passed as a query parameter.
# ruff: noqa: S608

from collections.abc import Iterable, Sequence
from datetime import date

from django.db import OperationalError, connection, transaction

from engagement.models import Channel, ParticipationRecord

from .models import ScopeActivity, ScopeKind, StaleMonth, StaleParticipant

# One bit per channel and per kind of action, in a fixed order (never reorder: stored).
CHANNEL_BITS: dict[str, int] = {
    Channel.EMAIL: 1,
    Channel.PHONE: 2,
    Channel.POST: 4,
    Channel.IN_PERSON: 8,
    Channel.ONLINE: 16,
}
KIND_BITS: dict[str, int] = {
    ParticipationRecord.Kind.ATTENDANCE: 1,
    ParticipationRecord.Kind.ROSTER: 2,
    ParticipationRecord.Kind.CHAMPION_ACTIVITY: 4,
    ParticipationRecord.Kind.ISSUE_REPORT: 8,
    ParticipationRecord.Kind.VOTE: 16,
    ParticipationRecord.Kind.BOARD: 32,
    ParticipationRecord.Kind.VOLUNTEERING: 64,
    ParticipationRecord.Kind.OTHER: 128,
}
BATCH = 2000
# How long the refresh waits for a month's queue entry held by another transaction
# before leaving the person queued whole for later (PostgreSQL), and its error's code.
EXPAND_WAIT = "200ms"
LOCK_NOT_AVAILABLE = "55P03"

LEDGER = ParticipationRecord._meta.db_table
ACTIVITY = ScopeActivity._meta.db_table
STALE = StaleParticipant._meta.db_table
STALE_MONTH = StaleMonth._meta.db_table
EVENT = "engagement_event"


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _zone() -> str:
    from django.conf import settings

    return settings.TIME_ZONE.replace("'", "")


def _postgres_month(column: str) -> str:
    """PostgreSQL: the first day of the moment's calendar month in UK time, as a date (the
    triggers' queue and the rebuild must agree on it)."""
    return f"date_trunc('month', {column} AT TIME ZONE '{_zone()}')::date"


def _month_sql() -> str:
    """The first day of the action's calendar month in UK time, as a date."""
    if _is_postgres():
        return _postgres_month("r.occurred_at")
    # Django's own SQLite function (registered on every connection) converts from UTC.
    return f"substr(django_datetime_trunc('month', r.occurred_at, '{_zone()}', 'UTC'), 1, 10)"


def _bits_sql(column: str, bits: dict[str, int]) -> str:
    if _is_postgres():
        cases = " ".join(f"WHEN '{code}' THEN {bit}" for code, bit in bits.items())
        return f"bit_or(CASE r.{column} {cases} ELSE 0 END)"
    return " + ".join(
        f"MAX(CASE WHEN r.{column} = '{code}' THEN {bit} ELSE 0 END)" for code, bit in bits.items()
    )


def _select_sql(where: str, source: str = f"{LEDGER} r") -> str:
    """Every scope's rows for the ledger rows (`r`, in `source`) matching `where`, one
    SELECT per scope kind."""
    month = _month_sql()
    aggregates = f"COUNT(*), {_bits_sql('channel', CHANNEL_BITS)}, {_bits_sql('kind', KIND_BITS)}"
    scopes = [
        (ScopeKind.PROGRAMME, "0", "", "TRUE"),
        (ScopeKind.AREA, "r.area_id", "", "r.area_id IS NOT NULL"),
        (ScopeKind.PROJECT, "r.project_id", "", "r.project_id IS NOT NULL"),
        (ScopeKind.PARTNERSHIP, "r.partnership_id", "", "r.partnership_id IS NOT NULL"),
        (
            ScopeKind.PRIORITY_CYCLE,
            "r.priority_cycle_id",
            "",
            "r.priority_cycle_id IS NOT NULL",
        ),
        (
            ScopeKind.EVENT_SERIES,
            "e.series_id",
            f"JOIN {EVENT} e ON e.id = r.event_id",
            "e.series_id IS NOT NULL",
        ),
    ]
    parts = []
    for kind, scope_id, join, condition in scopes:
        condition = "1 = 1" if condition == "TRUE" else condition
        group = "" if scope_id == "0" else f"{scope_id}, "
        parts.append(
            f"SELECT {int(kind)}, {scope_id}, {month}, r.participant_id, {aggregates} "
            f"FROM {source} {join} WHERE {condition} AND {where} "
            f"GROUP BY {group}{month}, r.participant_id"
        )
    return " UNION ALL ".join(parts)


_COLUMNS = "(scope_kind, scope_id, month, participant_id, actions, channels, kinds)"


def _rebuild_for(participant_ids: Sequence[int]) -> None:
    if not participant_ids:
        return
    with connection.cursor() as cursor:
        if _is_postgres():
            where, params = "r.participant_id = ANY(%s)", [list(participant_ids)]
        else:
            marks = ", ".join(["%s"] * len(participant_ids))
            where, params = f"r.participant_id IN ({marks})", list(participant_ids)
        delete_where = where.replace("r.participant_id", "participant_id")
        cursor.execute(f"DELETE FROM {ACTIVITY} WHERE {delete_where}", params)
        cursor.execute(f"INSERT INTO {ACTIVITY} {_COLUMNS} {_select_sql(where)}", params * 6)


# PostgreSQL: the queued (participant, month) pairs of a batch, as a table `s`.
_BATCH_MONTHS = "(SELECT unnest(%s::bigint[]) AS participant_id, unnest(%s::date[]) AS month) s"


def _rebuild_months(pairs: Sequence[tuple[int, date]]) -> None:
    """Rebuild the rows of these participants' months only (PostgreSQL)."""
    if not pairs:
        return
    params = [[participant for participant, _month in pairs], [month for _p, month in pairs]]
    zone = _zone()
    # The month's bounds as moments, so the ledger's (participant, occurred_at) index
    # finds the month's rows.
    source = (
        f"{_BATCH_MONTHS} JOIN {LEDGER} r ON r.participant_id = s.participant_id "
        f"AND r.occurred_at >= (s.month::timestamp AT TIME ZONE '{zone}') "
        f"AND r.occurred_at < ((s.month + interval '1 month')::timestamp AT TIME ZONE '{zone}')"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {ACTIVITY} a USING {_BATCH_MONTHS} "
            "WHERE a.participant_id = s.participant_id AND a.month = s.month",
            params,
        )
        cursor.execute(
            f"INSERT INTO {ACTIVITY} {_COLUMNS} {_select_sql('1 = 1', source)}", params * 6
        )


def _months_queue(participant_ids: Sequence[int]) -> None:
    """Queue every month of these participants, in the ledger or in the summary
    (PostgreSQL). On PostgreSQL everything is rebuilt a month at a time: two refreshes
    never rebuild the same rows at once, because a month's queue entry is claimed by one
    of them, and a writer queueing it again waits for that one to commit."""
    if not participant_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {STALE_MONTH} (participant_id, month) "
            f"SELECT r.participant_id, {_month_sql()} FROM {LEDGER} r "
            "WHERE r.participant_id = ANY(%s) "
            f"UNION SELECT participant_id, month FROM {ACTIVITY} WHERE participant_id = ANY(%s) "
            "ON CONFLICT DO NOTHING",
            [list(participant_ids)] * 2,
        )


def _claim_months(limit: int) -> list[tuple[int, date]]:
    """Take up to `limit` queued months off the queue, in this transaction (PostgreSQL;
    SQLite's triggers queue participants only)."""
    if not _is_postgres():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {STALE_MONTH} WHERE (participant_id, month) IN ("
            f"SELECT participant_id, month FROM {STALE_MONTH} ORDER BY participant_id, month "
            "LIMIT %s FOR UPDATE SKIP LOCKED) RETURNING participant_id, month",
            [limit],
        )
        return [(row[0], row[1]) for row in cursor.fetchall()]


def _claim(limit: int, after: int = 0) -> list[int]:
    """Take up to `limit` stale participants off the queue, in this transaction (on
    PostgreSQL those after the id `after`)."""
    with connection.cursor() as cursor:
        if _is_postgres():
            # SKIP LOCKED: two refreshes at once take different participants.
            cursor.execute(
                f"DELETE FROM {STALE} WHERE participant_id IN ("
                f"SELECT participant_id FROM {STALE} WHERE participant_id > %s "
                "ORDER BY participant_id LIMIT %s FOR UPDATE SKIP LOCKED) "
                "RETURNING participant_id",
                [after, limit],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT participant_id FROM {STALE} ORDER BY participant_id LIMIT %s",
            [limit],
        )
        ids = [row[0] for row in cursor.fetchall()]
        if ids:
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(
                f"DELETE FROM {STALE} WHERE participant_id IN ({marks})",
                ids,
            )
        return ids


def _expand_people(limit: int, after: int) -> tuple[list[int], bool]:
    """PostgreSQL: turn up to `limit` people queued whole (after the id `after`) into
    their months; returns the people taken, and whether they were.

    Queueing a month can wait on a writer, or another refresh, holding that month's
    entry; while one of them waits on a month this refresh holds, neither would move.
    So it never waits: under a short lock timeout in a savepoint, it leaves the batch
    queued whole for a later refresh when an entry is held, and the caller moves on."""
    ids: list[int] = []
    with connection.cursor() as cursor:
        # The setting to put back, read only when someone is queued whole (one query in
        # the usual case, when nobody is).
        cursor.execute(
            f"SELECT current_setting('lock_timeout') FROM {STALE} WHERE participant_id > %s "
            "LIMIT 1",
            [after],
        )
        row = cursor.fetchone()
        if row is None:
            return ids, False
        (timeout,) = row
        try:
            with transaction.atomic():
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [EXPAND_WAIT])
                ids = _claim(limit, after)
                _months_queue(ids)
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) != LOCK_NOT_AVAILABLE:
                raise
            return ids, False
        finally:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [timeout])
    return ids, True


def activity_refresh(*, batch: int = BATCH, max_batches: int | None = None) -> int:
    """Rebuild the summary rows of every queued participant's month (PostgreSQL) or
    queued participant (SQLite); returns how many months or people it rebuilt.

    Runs in the caller's transaction when there is one (a report), so what it rebuilds
    commits with the report or not at all. On PostgreSQL it never waits on a writer or
    another refresh: it skips what they hold, which stays queued.
    """
    done = 0
    batches = 0
    expanding, after = _is_postgres(), 0
    with transaction.atomic():
        while max_batches is None or batches < max_batches:
            people = []
            if expanding:
                # A person queued whole becomes their months, rebuilt in these rounds; a
                # batch held by someone else is passed over.
                people, expanded = _expand_people(batch, after)
                expanding = bool(people)
                if not expanded and people:
                    after = max(people)
            elif not _is_postgres():
                people = _claim(batch)
                _rebuild_for(people)
                done += len(people)
            pairs = _claim_months(batch)
            if not people and not pairs:
                break
            _rebuild_months(pairs)
            done += len(pairs)
            batches += 1
    return done


def activity_rebuild() -> int:
    """Rebuild the whole summary from the ledger at once (first install, repair)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {STALE}")
        cursor.execute(f"DELETE FROM {STALE_MONTH}")
        cursor.execute(f"DELETE FROM {ACTIVITY}")
        cursor.execute(f"INSERT INTO {ACTIVITY} {_COLUMNS} {_select_sql('1 = 1')}")
        return cursor.rowcount


def activity_mark_stale(*, participant_ids: Iterable[int]) -> None:
    StaleParticipant.objects.bulk_create(
        [StaleParticipant(participant_id=pk) for pk in participant_ids],
        ignore_conflicts=True,
        batch_size=BATCH,
    )


def activity_stale_count() -> int:
    """How many people have summary rows (all of them, or some months') waiting."""
    people = (
        StaleParticipant.objects.order_by()
        .values("participant_id")
        .union(StaleMonth.objects.order_by().values("participant_id"))
    )
    return people.count()


# -- Triggers ---------------------------------------------------------------------------


def _postgres_triggers(*, months: bool) -> list[str]:
    """The ledger's and events' triggers: queueing each participant's months concerned
    (StaleMonth), or, before that table exists (an early migration), the participant.

    The writer holds a share lock on each entry it queued until it commits: a refresh
    (which skips locked entries) cannot take the entry and rebuild without the writer's
    change, which would then never be queued. A share lock, not an update: writers
    queueing the same entries do not wait on each other, whatever their order, and leave
    no dead rows behind. An entry a refresh takes between the insert and the lock is
    queued again."""
    keys = {"participant_id": "bigint"} | ({"month": "date"} if months else {})
    table = STALE_MONTH if months else STALE
    columns = ", ".join(keys)
    arguments = ", ".join(f"queued_{key} {kind}[]" for key, kind in keys.items())
    given = f"unnest({', '.join(f'queued_{key}' for key in keys)}) AS k({columns})"
    match = " AND ".join(f"s.{key} = k.{key}" for key in keys)
    enqueue = f"""
        CREATE OR REPLACE FUNCTION inclusion_stale_enqueue({arguments}) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE
            held bigint;
        BEGIN
            IF queued_participant_id IS NULL THEN
                RETURN;
            END IF;
            LOOP
                -- In key order, so that two writers queueing the same new entries wait
                -- on each other in the same order rather than each on the other.
                INSERT INTO {table} ({columns}) SELECT {columns} FROM {given}
                ORDER BY {columns} ON CONFLICT DO NOTHING;
                WITH locked AS (
                    SELECT 1 FROM {table} s JOIN {given} ON {match}
                    ORDER BY {", ".join(f"s.{key}" for key in keys)} FOR SHARE OF s
                )
                SELECT count(*) INTO held FROM locked;
                EXIT WHEN held = cardinality(queued_participant_id);
            END LOOP;
        END $$
        """

    def queue(rows: str, alias: str = "") -> str:
        selected = [f"{alias}participant_id"]
        if months:
            selected.append(f"{_postgres_month(f'{alias}occurred_at')} AS month")
        aggregated = ", ".join(f"array_agg({key})" for key in keys)
        return (
            f"PERFORM inclusion_stale_enqueue({aggregated}) "
            f"FROM (SELECT DISTINCT {', '.join(selected)} FROM {rows}) queued;"
        )

    both = "(SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows) r"
    # The events of new rows, share-locked until the writer commits: an event's change of
    # series waits for the writer (and queues its rows once they are committed), or the
    # writer waits for the change, so neither's rows are rebuilt under the old series
    # with nothing left queued.
    events = (
        f"PERFORM 1 FROM {EVENT} e WHERE e.id IN "
        "(SELECT event_id FROM new_rows WHERE event_id IS NOT NULL) ORDER BY e.id FOR SHARE;"
    )
    # The other form of the queueing function, left by an earlier install, goes.
    other = "bigint[]" if months else "bigint[], date[]"
    series = (
        f"{LEDGER} r JOIN new_rows n ON n.id = r.event_id JOIN old_rows o ON o.id = n.id "
        "WHERE o.series_id IS DISTINCT FROM n.series_id"
    )
    return [
        enqueue,
        f"""
        CREATE OR REPLACE FUNCTION inclusion_ledger_stale() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                {events}
                {queue("new_rows")}
            ELSIF TG_OP = 'DELETE' THEN
                {queue("old_rows")}
            ELSE
                {events}
                {queue(both)}
            END IF;
            RETURN NULL;
        END $$
        """,
        f"""
        CREATE OR REPLACE TRIGGER inclusion_ledger_insert AFTER INSERT ON {LEDGER}
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION inclusion_ledger_stale()
        """,
        f"""
        CREATE OR REPLACE TRIGGER inclusion_ledger_update AFTER UPDATE ON {LEDGER}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION inclusion_ledger_stale()
        """,
        f"""
        CREATE OR REPLACE TRIGGER inclusion_ledger_delete AFTER DELETE ON {LEDGER}
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION inclusion_ledger_stale()
        """,
        f"""
        CREATE OR REPLACE FUNCTION inclusion_event_stale() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            {queue(series, "r.")}
            RETURN NULL;
        END $$
        """,
        f"""
        CREATE OR REPLACE TRIGGER inclusion_event_series AFTER UPDATE ON {EVENT}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION inclusion_event_stale()
        """,
        f"DROP FUNCTION IF EXISTS inclusion_stale_enqueue({other})",
    ]


SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER IF NOT EXISTS inclusion_ledger_insert AFTER INSERT ON {LEDGER}
    BEGIN
        INSERT OR IGNORE INTO {STALE} (participant_id) VALUES (NEW.participant_id);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS inclusion_ledger_update AFTER UPDATE ON {LEDGER}
    BEGIN
        INSERT OR IGNORE INTO {STALE} (participant_id) VALUES (OLD.participant_id);
        INSERT OR IGNORE INTO {STALE} (participant_id) VALUES (NEW.participant_id);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS inclusion_ledger_delete AFTER DELETE ON {LEDGER}
    BEGIN
        INSERT OR IGNORE INTO {STALE} (participant_id) VALUES (OLD.participant_id);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS inclusion_event_series AFTER UPDATE OF series_id ON {EVENT}
    WHEN OLD.series_id IS NOT NEW.series_id
    BEGIN
        INSERT OR IGNORE INTO {STALE} (participant_id)
        SELECT DISTINCT participant_id FROM {LEDGER} WHERE event_id = NEW.id;
    END
    """,
]

TRIGGER_NAMES = (
    "inclusion_ledger_insert",
    "inclusion_ledger_update",
    "inclusion_ledger_delete",
    "inclusion_event_series",
)


def activity_triggers_install(conn=None, *, months: bool | None = None) -> None:
    """Create (or replace) the triggers that queue what must be rebuilt. On PostgreSQL
    they queue months once StaleMonth's table exists (unless `months` says otherwise)."""
    conn = conn or connection
    if conn.vendor not in ("postgresql", "sqlite"):
        return
    if conn.vendor == "postgresql":
        if months is None:
            months = STALE_MONTH in conn.introspection.table_names()
        statements = _postgres_triggers(months=months)
    else:
        statements = SQLITE_TRIGGERS
    with conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def activity_triggers_present() -> set[str]:
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname = ANY(%s)", [list(TRIGGER_NAMES)]
            )
        else:
            marks = ", ".join(["%s"] * len(TRIGGER_NAMES))
            cursor.execute(
                f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})",
                list(TRIGGER_NAMES),
            )
        return {row[0] for row in cursor.fetchall()}


def activity_triggers_ensure(*, using: str = "default", **kwargs) -> None:
    """post_migrate: put the triggers back if a table rebuild dropped them (both forms of
    the statements are idempotent)."""
    from django.db import connections

    conn = connections[using]
    if {LEDGER, STALE, EVENT} <= set(conn.introspection.table_names()):
        activity_triggers_install(conn)
