"""Loading raw rows: COPY into a temporary table, then replace the covered partitions in one transaction.

Rows stream straight from the API pages into COPY, so memory stays flat however many there are. The
target table is only touched at the end (delete the partitions, insert the de-duplicated rows), inside
the same transaction: a failed or killed run leaves the previous rows as they were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import orjson

from clickup_elt.warehouse import deletions
from clickup_elt.warehouse.schema import RAW_SCHEMA


@dataclass(frozen=True)
class RawRow:
    """One API record and the ids it lacks; `id` is unique per workspace within its entity."""

    id: str
    data: dict
    parent_type: str | None = None
    parent_id: str | None = None
    partition_date: dt.date | None = None


@dataclass(frozen=True)
class Scope:
    """The rows a load replaces: one workspace's, or only some of its daily partitions, or only the rows
    of some tasks (comments and time in status follow their task, whatever partition they were loaded in,
    so a task's re-fetched comments replace every older copy)."""

    workspace_id: str
    partition_dates: Sequence[dt.date] | None = None
    task_ids: Sequence[str] | None = None
    keep_parents: Sequence[str] = ()  # rows under these parents are left as they are
    upsert: bool = False  # replace only the records that arrive (one list's tasks, confirmed tasks)

    @property
    def covers_workspace(self) -> bool:
        return self.partition_dates is None and self.task_ids is None and not self.upsert

    def delete_sql(self, table: str) -> tuple[str, tuple]:
        """The statement that clears what this scope covers, and its parameters."""
        ws = self.workspace_id
        if self.upsert:
            return (f"delete from {table} where workspace_id = %s and id in (select id from _incoming)",
                    (ws,))
        if self.task_ids is not None:
            tasks = sorted(set(self.task_ids))
            return (f"delete from {table} where workspace_id = %s and ("
                    f"  (parent_type = 'task' and parent_id = any(%s))"
                    f"  or (parent_type = 'comment' and parent_id in ("
                    f"      select id from {table} where workspace_id = %s and parent_type = 'task'"
                    f"      and parent_id = any(%s))))", (ws, tasks, ws, tasks))
        if self.partition_dates is not None:
            return (f"delete from {table} where workspace_id = %s and partition_date = any(%s)"
                    f" and coalesce(parent_id, '') <> all(%s::text[])",
                    (ws, sorted(set(self.partition_dates)), sorted(set(self.keep_parents))))
        return f"delete from {table} where workspace_id = %s", (ws,)

    def keep_sql(self) -> tuple[str, tuple]:
        """Which incoming rows belong to the scope (rows of other days are dropped, not misfiled)."""
        if self.partition_dates is not None and self.task_ids is None:
            return "partition_date = any(%s)", (sorted(set(self.partition_dates)),)
        return "true", ()


def _text_field(value) -> str:
    if value is None:
        return "\\N"
    text = value if isinstance(value, str) else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class _CopySource:
    """A file-like object COPY reads from, fed by a row iterator (no buffering of the whole load)."""

    def __init__(self, workspace_id: str, rows: Iterable[RawRow], run_id: str):
        self._lines = self._encode(workspace_id, rows, run_id)
        self._buffer = b""
        self.count = 0
        self.error: BaseException | None = None  # what broke the row stream, if anything

    def _encode(self, workspace_id, rows, run_id):
        ws, run = _text_field(workspace_id), _text_field(run_id)
        for row in rows:
            self.count += 1
            data = orjson.dumps(row.data).decode()
            yield "\t".join((ws, _text_field(row.id), _text_field(row.parent_type),
                             _text_field(row.parent_id), _text_field(row.partition_date),
                             _text_field(data), run)).encode() + b"\n"

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
    """What one load received and wrote: `received == rows + duplicates + outside`."""

    rows: int  # written
    received: int  # records streamed from the API, repeats included
    duplicates: int  # repeats of a record already received in the same load (page overlap, edits)
    outside: int  # records of days the load does not cover (dropped, not misfiled)


def _compress_with_lz4(cur) -> None:
    """Have this transaction compress the large JSON values it writes with lz4 where the server has it.

    Postgres compresses every record over ~2 kB (most tasks) on the way into the staging table and
    again into the raw table; with the default pglz that compression costs more than the COPY itself.
    Values already stored keep their method; reads do not depend on it."""
    cur.execute("select 'lz4' = any(enumvals) from pg_settings where name = 'default_toast_compression'")
    row = cur.fetchone()
    if row and row[0]:
        cur.execute("set local default_toast_compression = 'lz4'")


def replace_rows(conn, entity: str, scope: Scope, rows: Iterable[RawRow], run_id: str,
                 schema: str = RAW_SCHEMA) -> Loaded:
    """Replace `scope` of `schema.entity` with `rows`. Commits nothing: the caller's transaction
    decides (see `warehouse.db.connection`).

    A whole-workspace load of spaces, folders or lists also records the objects that did not arrive
    again in `clickup_raw.deletions` (and clears those that came back)."""
    table = f"{schema}.{entity}"
    with conn.cursor() as cur:
        _compress_with_lz4(cur)
        cur.execute(
            "create temporary table _incoming (workspace_id text, id text, parent_type text, "
            "parent_id text, partition_date date, data jsonb, run_id text, seq bigserial) "
            "on commit drop"
        )
        source = _CopySource(scope.workspace_id, rows, run_id)
        try:
            cur.copy_expert(
                "copy _incoming (workspace_id, id, parent_type, parent_id, partition_date, data, "
                "run_id) from stdin", source)
        except Exception:
            if source.error is not None:
                raise source.error from None
            raise
        tracked = deletions.HIERARCHY.get(entity)
        if tracked and scope.covers_workspace:
            deletions.record_vanished(cur, table, tracked, scope.workspace_id, run_id, schema)
        cur.execute(*scope.delete_sql(table))
        keep, params = scope.keep_sql()
        # The same record seen twice in one run (page overlap, edits while paging): keep the last.
        cur.execute(
            f"insert into {table} (workspace_id, id, parent_type, parent_id, partition_date, data, run_id) "
            f"select workspace_id, id, parent_type, parent_id, partition_date, data, run_id from ("
            f"  select distinct on (id) * from _incoming order by id, seq desc) latest where {keep}",
            params,
        )
        written = cur.rowcount
        cur.execute("select count(distinct id) from _incoming")
        distinct = cur.fetchone()[0]
        cur.execute("drop table _incoming")
    return Loaded(rows=written, received=source.count, duplicates=source.count - distinct,
                  outside=distinct - written)
