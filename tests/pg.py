"""Reading the test warehouse the way a user's SQL client would."""

import psycopg2


def query(url: str, sql: str, params=None, role: str | None = None) -> list[tuple]:
    """Rows of one statement on a connection of its own, optionally as `role` (set role: what a BI
    tool in that role may see)."""
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            if role:
                cur.execute(f'set role "{role}"')
            cur.execute(sql, params)
            return cur.fetchall()
    finally:
        conn.close()
