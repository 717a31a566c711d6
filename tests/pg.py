"""Reading the test warehouse the way a user's SQL client would."""

import psycopg2


def query(url: str, sql: str, params=None) -> list[tuple]:
    """Rows of one statement, on a connection of its own (closed afterwards)."""
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()
    finally:
        conn.close()
