"""Which token reaches which workspace, remembered so that runs need no extra `GET /team` to know."""

from __future__ import annotations

from psycopg2.extensions import connection as Connection

from clickup_elt.warehouse.schema import RAW_SCHEMA


def remember(conn: Connection, workspace_id: str, fingerprint: str, name: str | None) -> None:
    with conn.cursor() as cur:
        cur.execute(
            f"insert into {RAW_SCHEMA}.workspace_tokens (workspace_id, token_fingerprint, workspace_name) "
            f"values (%s, %s, %s) on conflict (workspace_id, token_fingerprint) "
            f"do update set workspace_name = excluded.workspace_name, seen_at = now()",
            (workspace_id, fingerprint, name),
        )


def fingerprints_for(conn: Connection, workspace_id: str) -> list[str]:
    with conn.cursor() as cur:
        cur.execute(
            f"select token_fingerprint from {RAW_SCHEMA}.workspace_tokens where workspace_id = %s "
            f"order by seen_at desc",
            (workspace_id,),
        )
        return [r[0] for r in cur.fetchall()]
