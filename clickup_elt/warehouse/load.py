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

from clickup_elt.warehouse.schema import RAW_SCHEMA


@dataclass(frozen=True)
class RawRow:
    id: str
    data: dict
    parent_type: str | None = None
    parent_id: str | None = None
    partition_date: dt.date | None = None


@dataclass(frozen=True)
class Scope:
    """The rows a load replaces: one workspace, optionally only some daily partitions."""

    workspace_id: str
    partition_dates: Sequence[dt.date] | None = None


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


def replace_rows(conn, entity: str, scope: Scope, rows: Iterable[RawRow], run_id: str,
                 schema: str = RAW_SCHEMA) -> int:
    """Replace `scope` of `schema.entity` with `rows`; returns the rows written. Commits nothing:
    the caller's transaction decides (see `warehouse.db.connection`)."""
    table = f"{schema}.{entity}"
    with conn.cursor() as cur:
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
        if scope.partition_dates is None:
            cur.execute(f"delete from {table} where workspace_id = %s", (scope.workspace_id,))
            keep = "true"
            params: tuple = ()
        else:
            dates = sorted(set(scope.partition_dates))
            cur.execute(f"delete from {table} where workspace_id = %s and partition_date = any(%s)",
                        (scope.workspace_id, dates))
            keep = "partition_date = any(%s)"
            params = (dates,)
        # The same record seen twice in one run (page overlap, edits while paging): keep the last.
        cur.execute(
            f"insert into {table} (workspace_id, id, parent_type, parent_id, partition_date, data, run_id) "
            f"select workspace_id, id, parent_type, parent_id, partition_date, data, run_id from ("
            f"  select distinct on (id, parent_type, parent_id) * from _incoming"
            f"  order by id, parent_type, parent_id, seq desc) latest where {keep}",
            params,
        )
        written = cur.rowcount
        cur.execute("drop table _incoming")
    return written
