"""Loading raw rows: COPY straight into the raw table, then drop the rows they replace, in one transaction.

Rows stream from the API pages into COPY, so the records themselves are never held in memory (only
their ids, to tell repeats) and are written once. The rows a load writes carry its start time in
`loaded_at` (and its run id), which tells them from the stored rows they replace; those are deleted at
the end, inside the same transaction: a failed or killed run leaves the previous rows as they were,
and nobody sees the new ones before the commit. A temporary table, `_incoming`, lists what arrived (ids,
days, versions; no data) for the statements that compare it with what is stored. Loads of one table
and workspace take turns (an advisory lock), so two concurrent loads never both replace.

A stored record is kept once per workspace: a record that arrives replaces its older copies in other
partitions (a task edited today leaves its day of last year), so an older copy can never speak for
it later. What a load could not read stays as it was (see `Scope.narrowed`), and records that left
the scope without being read again can be confirmed one by one before they are dropped (`reconcile`).
"""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import IO

import orjson
from psycopg2.extensions import connection as Connection
from psycopg2.extensions import cursor as Cursor

from clickup_elt.records import Findings, RawRow, Reconciled
from clickup_elt.warehouse import deletions
from clickup_elt.warehouse.db import one_row
from clickup_elt.warehouse.schema import RAW_SCHEMA
from clickup_elt.warehouse.shapes import Shapes

__all__ = ["Loaded", "RawRow", "Reconciled", "Scope", "replace_rows"]


@dataclass(frozen=True)
class Scope:
    """The rows a load replaces: one workspace's, or only some of its daily partitions, or only the rows
    of some tasks (comments and time in status follow their task, whatever partition they were loaded in,
    so a task's re-fetched comments replace every older copy)."""

    workspace_id: str
    partition_dates: Sequence[dt.date] | None = None
    task_ids: Sequence[str] | None = None
    keep_parents: Sequence[str] = ()  # rows under these parents are left as they are
    keep_ids: Sequence[str] = ()  # and these records too (vanished or not yet confirmed)
    upsert: bool = False  # replace only the records that arrive (one list's tasks, confirmed tasks)
    user_id: str | None = None  # only this member's records (a fallback read only those)

    @property
    def covers_workspace(self) -> bool:
        """Every record of the workspace: a record that did not arrive is gone from ClickUp."""
        return (
            self.partition_dates is None
            and self.task_ids is None
            and not self.upsert
            and self.user_id is None
        )

    def narrowed(self, findings: Findings | None) -> Scope:
        """Leave alone what the load could not read: rows under objects that vanished while read,
        rows of tasks whose extras vanished, and (after a fallback) other members' records."""
        if findings is None:
            return self
        gone_tasks = set(findings.ids("task"))
        parents = findings.ids("list", "folder", "space", "goal", "comment")
        return replace(
            self,
            keep_parents=sorted({*self.keep_parents, *parents, *gone_tasks}),
            task_ids=None if self.task_ids is None else [t for t in self.task_ids if t not in gone_tasks],
            user_id=findings.only_user_id or self.user_id,
        )

    def keeping(self, ids: Iterable[str]) -> Scope:
        return replace(self, keep_ids=sorted({*self.keep_ids, *ids}))

    def where_sql(self, table: str) -> tuple[str, tuple[object, ...]]:
        """The condition selecting the stored rows this scope covers, and its parameters."""
        ws = self.workspace_id
        params: tuple[object, ...]
        if self.upsert:
            where, params = "workspace_id = %s and id in (select id from _incoming)", (ws,)
        elif self.task_ids is not None:
            tasks = sorted(set(self.task_ids))
            where = (
                f"workspace_id = %s and ("
                f"  (parent_type = 'task' and parent_id = any(%s))"
                f"  or (parent_type = 'comment' and parent_id in ("
                f"      select id from {table} where workspace_id = %s and parent_type = 'task'"
                f"      and parent_id = any(%s))))"
            )
            params = (ws, tasks, ws, tasks)
        elif self.partition_dates is not None:
            where = "workspace_id = %s and partition_date = any(%s)"
            params = (ws, sorted(set(self.partition_dates)))
        else:
            where, params = "workspace_id = %s", (ws,)
        if self.keep_parents:
            where += " and coalesce(parent_id, '') <> all(%s::text[])"
            params += (sorted(set(self.keep_parents)),)
        if self.keep_ids:
            where += " and id <> all(%s::text[])"
            params += (sorted(set(self.keep_ids)),)
        if self.user_id is not None:
            where += " and data -> 'user' ->> 'id' = %s"
            params += (str(self.user_id),)
        return where, params

    @property
    def _days_only(self) -> bool:
        return self.partition_dates is not None and self.task_ids is None and not self.upsert

    def keep_sql(self) -> tuple[str, tuple[object, ...]]:
        """Which incoming rows belong to the scope (rows of other days are dropped, not misfiled;
        records a confirmation fetched again go wherever they belong). `keeps` says the same of one."""
        if self._days_only:
            return "(partition_date = any(%s) or confirmed)", (sorted(set(self.partition_dates or ())),)
        return "true", ()

    @functools.cached_property
    def _days(self) -> frozenset[dt.date]:
        return frozenset(self.partition_dates or ())

    def keeps(self, row: RawRow, confirmed: bool = False) -> bool:
        return confirmed or not self._days_only or row.partition_date in self._days


def _text_field(value: object) -> str:
    if value is None:
        return "\\N"
    text = value if isinstance(value, str) else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _line(*fields: object) -> bytes:
    return ("\t".join(_text_field(f) for f in fields) + "\n").encode()


def _date_updated(data: object) -> str | None:
    """What `data ->> 'date_updated'` gives in SQL."""
    value = data.get("date_updated") if isinstance(data, dict) else None
    if value is None or isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


class _Arrivals:
    """What a load received, in order, for `_incoming` (ids, days and versions; no data), and which
    records arrived more than once (their last copy, written when the stream is done)."""

    def __init__(self, scope: Scope, index: IO[bytes]) -> None:
        self.scope = scope
        self.index = index  # the lines for `_incoming` not yet copied there
        self.seen: set[str] = set()
        self.repeats: dict[str, tuple[RawRow, bool]] = {}

    def first(self, row: RawRow, confirmed: bool) -> bool:
        """Note `row`; True when its copy is to be written as it streams (first seen and kept)."""
        self.index.write(_line(row.id, row.partition_date, _date_updated(row.data), confirmed))
        if row.id in self.seen:
            self.repeats[row.id] = (row, confirmed)
            return False
        self.seen.add(row.id)
        return self.scope.keeps(row, confirmed)

    def flush(self, cur: Cursor) -> None:
        """Add what was noted since the last flush to `_incoming`, in arrival order."""
        self.index.seek(0)
        cur.copy_expert("copy _incoming (id, partition_date, date_updated, confirmed) from stdin", self.index)
        self.index.seek(0)
        self.index.truncate()


class _CopySource:
    """A file-like object COPY reads from, fed by a row iterator (no buffering of the whole load).

    With `arrivals`, each row is noted there and only first copies the scope keeps are written."""

    def __init__(
        self,
        workspace_id: str,
        rows: Iterable[RawRow],
        mark: tuple[str, dt.datetime],
        shapes: Shapes | None = None,
        arrivals: _Arrivals | None = None,
        confirmed: bool = False,
    ) -> None:
        self._lines = self._encode(workspace_id, rows, mark, arrivals, confirmed)
        self._buffer = b""
        self.count = 0
        self.error: BaseException | None = None  # what broke the row stream, if anything
        self.shapes = shapes  # the records' shapes, for the schema-drift check (None: not wanted)

    def _encode(
        self,
        workspace_id: str,
        rows: Iterable[RawRow],
        mark: tuple[str, dt.datetime],
        arrivals: _Arrivals | None,
        confirmed: bool,
    ) -> Iterator[bytes]:
        run_id, loaded_at = mark
        ws, run, at = _text_field(workspace_id), _text_field(run_id), loaded_at.isoformat()
        for row in rows:
            self.count += 1
            if self.shapes is not None:
                self.shapes.add(row.data)
            if arrivals is not None and not arrivals.first(row, confirmed):
                continue
            data = orjson.dumps(row.data).decode()
            yield (
                "\t".join(
                    (
                        ws,
                        _text_field(row.id),
                        _text_field(row.parent_type),
                        _text_field(row.parent_id),
                        _text_field(row.partition_date),
                        _text_field(data),
                        run,
                        at,
                    )
                ).encode()
                + b"\n"
            )

    def read(self, size: int = 65536) -> bytes:
        while len(self._buffer) < size:
            try:
                line = next(self._lines, None)
            except BaseException as exc:  # COPY would report only "canceled": keep the cause
                self.error = exc
                raise
            if line is None:
                break
            self._buffer += line
        chunk, self._buffer = self._buffer[:size], self._buffer[size:]
        return chunk

    readline = read


@dataclass(frozen=True)
class Loaded:
    """What one load received and wrote: `received + confirmed == rows + duplicates + outside`."""

    rows: int  # written
    received: int  # records streamed from the API, repeats included
    duplicates: int  # repeats of a record already received in the same load (page overlap, edits)
    outside: int  # records of days the load does not cover (dropped, not misfiled)
    confirmed: int = 0  # records that left the scope, fetched again one by one and stored
    vanished: int = 0  # objects that vanished while read (their stored rows kept)
    # the records' shapes (kind -> values, see warehouse.shapes), for the schema-drift check
    shapes: Mapping[str, frozenset[str]] = field(default_factory=dict, compare=False)


def _compress_with_lz4(cur: Cursor) -> None:
    """Have this transaction compress the large JSON values it writes with lz4 where the server has it.

    Postgres compresses every record over ~2 kB (most tasks) on the way into the raw table; with the
    default pglz that compression costs more than the COPY itself. Values already stored keep their
    method; reads do not depend on it."""
    cur.execute("select 'lz4' = any(enumvals) from pg_settings where name = 'default_toast_compression'")
    row = cur.fetchone()
    if row and row[0]:
        cur.execute("set local default_toast_compression = 'lz4'")


# A callable given the records that left the scope ({id: last stored record}).
Reconcile = Callable[[dict[str, dict]], Reconciled]

# The rows this load wrote (its run id and start time, see `_CopySource`), in a table aliased `t`.
_NEW = "(t.run_id = %s and t.loaded_at = %s)"


def _copy(
    cur: Cursor,
    table: str,
    workspace_id: str,
    rows: Iterable[RawRow],
    mark: tuple[str, dt.datetime],
    shapes: Shapes | None = None,
    arrivals: _Arrivals | None = None,
    confirmed: bool = False,
) -> _CopySource:
    source = _CopySource(workspace_id, rows, mark, shapes, arrivals, confirmed)
    try:
        cur.copy_expert(
            f"copy {table} (workspace_id, id, parent_type, parent_id, partition_date, data, run_id, "
            f"loaded_at) from stdin",
            source,
        )
    except Exception:
        if source.error is not None:
            raise source.error from None
        raise
    if arrivals is not None:
        arrivals.flush(cur)
    return source


def _left_scope(cur: Cursor, table: str, scope: Scope) -> dict[str, dict]:
    """The stored records the scope covers that the load did not receive again."""
    where, params = scope.where_sql(table)
    cur.execute(
        f"select id, data from {table} t where {where} "
        f"and not exists (select 1 from _incoming i where i.id = t.id)",
        params,
    )
    return dict(cur.fetchall())


def _latest_records(
    cur: Cursor, table: str, workspace_id: str, ids: list[str], mark: tuple[str, dt.datetime]
) -> dict[str, dict]:
    """The newest stored record of each id (the evidence kept when one is found deleted)."""
    if not ids:
        return {}
    cur.execute(
        f"select distinct on (id) id, data from {table} t where workspace_id = %s "
        f"and id = any(%s) and not {_NEW} order by id, {_UPDATED.format(r='t')} desc, loaded_at desc",
        (workspace_id, ids, *mark),
    )
    return dict(cur.fetchall())


def _write_repeats(cur: Cursor, table: str, arrivals: _Arrivals, mark: tuple[str, dt.datetime]) -> None:
    """A record that arrived more than once (page overlap, edits while paging) keeps its last copy."""
    if not arrivals.repeats:
        return
    cur.execute(
        f"delete from {table} t where workspace_id = %s and id = any(%s) and {_NEW}",
        (arrivals.scope.workspace_id, sorted(arrivals.repeats), *mark),
    )
    last = [row for row, confirmed in arrivals.repeats.values() if arrivals.scope.keeps(row, confirmed)]
    _copy(cur, table, arrivals.scope.workspace_id, last, mark)


def replace_rows(
    conn: Connection,
    entity: str,
    scope: Scope,
    rows: Iterable[RawRow],
    run_id: str,
    *,
    findings: Findings | None = None,
    reconcile: Reconcile | None = None,
    schema: str = RAW_SCHEMA,
) -> Loaded:
    """Replace `scope` of `schema.entity` with `rows`. Commits nothing: the caller's transaction
    decides (see `warehouse.db.connection`).

    `findings` (filled while `rows` streamed) narrow the scope to what was actually read. `reconcile`
    is asked about the records that left the scope before they are dropped. A whole-workspace load of
    spaces, folders or lists records the objects that did not arrive again in
    `clickup_raw.deletions` (and clears those that came back)."""
    table = f"{schema}.{entity}"
    object_type = deletions.OBJECT_TYPES.get(entity)
    with conn.cursor() as cur, tempfile.SpooledTemporaryFile(max_size=8 << 20) as index:
        _compress_with_lz4(cur)
        cur.execute("select clock_timestamp()")
        mark = (run_id, one_row(cur)[0])
        cur.execute(
            "create temporary table _incoming (id text, partition_date date, date_updated text, "
            "confirmed boolean not null, seq bigserial) on commit drop"
        )
        seen = Shapes(entity)
        arrivals = _Arrivals(scope, index)
        source = _copy(cur, table, scope.workspace_id, rows, mark, seen, arrivals)
        scope = scope.narrowed(findings)
        # loads of this table and workspace take turns from here to the commit
        cur.execute("select pg_advisory_xact_lock(hashtext(%s))", (f"{table}:{scope.workspace_id}",))
        if reconcile is not None:
            if object_type is None:
                raise ValueError(f"{entity}: no object type to record confirmed deletions under")
            left = _left_scope(cur, table, scope)
            found = reconcile(left)
            left.update(
                _latest_records(
                    cur, table, scope.workspace_id, [i for i in found.verdicts if i not in left], mark
                )
            )
            if found.rows:
                _copy(cur, table, scope.workspace_id, found.rows, mark, seen, arrivals, confirmed=True)
            deletions.record(
                conn,
                scope.workspace_id,
                object_type,
                {object_id: (verdict, left.get(object_id)) for object_id, verdict in found.verdicts.items()},
                run_id,
                schema,
            )
            scope = scope.keeping(found.unconfirmed)
        _write_repeats(cur, table, arrivals, mark)
        keep, params = scope.keep_sql()
        if object_type and scope.covers_workspace and entity in deletions.HIERARCHY:
            deletions.record_vanished(cur, table, object_type, scope, run_id, schema)
        if object_type:
            deletions.forget_incoming(cur, scope.workspace_id, object_type, keep, params, schema)
        where, where_params = scope.where_sql(table)
        cur.execute(f"delete from {table} t where {where} and not {_NEW}", (*where_params, *mark))
        # the last copy of each record (what the load wrote), by its place in _incoming
        cur.execute(
            f"create temporary table _latest on commit drop as select seq, id, confirmed from ("
            f"select distinct on (id) seq, id, partition_date, confirmed from _incoming "
            f"order by id, seq desc) l where {keep}",
            params,
        )
        # its copies elsewhere in the workspace are older versions (an edit moved it to another day)
        cur.execute(
            f"delete from {table} t using _latest l join _incoming i on i.seq = l.seq "
            f"where t.workspace_id = %s and t.id = l.id and not {_NEW} "
            f"and {_UPDATED.format(r='t')} <= lpad(coalesce(i.date_updated, ''), 20, '0')",
            (scope.workspace_id, *mark),
        )
        cur.execute(
            "select (select count(*) from _latest), (select count(distinct id) from _incoming "
            "where not confirmed), (select count(*) from _latest where confirmed)"
        )
        written, distinct, confirmed = one_row(cur)
        cur.execute("drop table _incoming, _latest")
    return Loaded(
        rows=written,
        received=source.count,
        duplicates=source.count - distinct,
        outside=distinct - (written - confirmed),
        confirmed=confirmed,
        vanished=len(findings.vanished) if findings else 0,
        shapes=seen.found(),
    )


# A record's date_updated (ms since the epoch) as text that sorts in time order; '' when it has none.
_UPDATED = "lpad(coalesce({r}.data ->> 'date_updated', ''), 20, '0')"
