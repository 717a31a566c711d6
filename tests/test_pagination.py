"""Task page walks on a fake `get` (pure logic; test_extractors.py walks the simulator over HTTP)."""

from clickup_elt.clickup.pagination import iter_pages, iter_tasks_by_updated


def pages_of(rows, size=100, last_page_flag=True):
    """A `get` serving `rows` by page number, as ClickUp's list endpoint does."""
    calls = []

    def get(path, params, endpoint=None):
        calls.append(dict(params))
        page = params["page"]
        chunk = rows[page * size : (page + 1) * size]
        body = {"tasks": chunk}
        if last_page_flag:
            body["last_page"] = (page + 1) * size >= len(rows)
        return body

    return get, calls


def tasks(n):
    return [{"id": f"t{i}", "date_updated": str(1_000 + i)} for i in range(n)]


def test_page_walk_stops_on_last_page_short_page_or_empty_page():
    for n, expected_calls in [(0, 1), (100, 1), (101, 2), (250, 3)]:
        get, calls = pages_of(tasks(n))
        got = [t["id"] for page in iter_pages(get, "list/1/task", {}) for t in page]
        assert got == [f"t{i}" for i in range(n)]
        assert len(calls) == expected_calls
    # without last_page: a full page is followed by one empty page
    get, calls = pages_of(tasks(100), last_page_flag=False)
    assert sum(len(p) for p in iter_pages(get, "list/1/task", {})) == 100
    assert len(calls) == 2


def keyset_server(rows, descending_by_default=False):
    """A `get` that filters by date_updated_gt/lt (inclusive gt, as ClickUp) and orders by updated."""
    calls = []

    def get(path, params, endpoint=None):
        calls.append(dict(params))
        lo = params.get("date_updated_gt")
        hi = params.get("date_updated_lt")
        matching = [
            t
            for t in rows
            if (lo is None or int(t["date_updated"]) >= lo) and (hi is None or int(t["date_updated"]) < hi)
        ]
        ascending = params["reverse"] == "true"
        if descending_by_default:
            ascending = not ascending
        matching.sort(key=lambda t: int(t["date_updated"]), reverse=not ascending)
        page = params["page"]
        chunk = matching[page * 100 : (page + 1) * 100]
        return {"tasks": chunk, "last_page": (page + 1) * 100 >= len(matching)}

    return get, calls


def walk(get, lo=None, hi=None):
    seen = {}
    for page in iter_tasks_by_updated(get, "team/1/task", {}, lo, hi):
        for task in page:
            seen[task["id"]] = task
    return seen


def test_keyset_walk_reads_every_task_in_the_window_once_per_page():
    rows = tasks(1000)
    get, calls = keyset_server(rows)
    assert len(walk(get)) == 1000
    assert len(calls) <= 11  # ten pages plus the boundary overlap
    get, _ = keyset_server(rows)
    window = walk(get, 1_200, 1_300)
    assert sorted(window, key=lambda k: int(k[1:])) == [f"t{i}" for i in range(200, 300)]


def test_keyset_walk_steps_through_a_page_sharing_one_timestamp():
    rows = [{"id": f"s{i}", "date_updated": "5000"} for i in range(250)] + tasks(10)
    get, _ = keyset_server(rows)
    assert len(walk(get)) == 260


def test_keyset_walk_turns_around_when_the_server_sorts_the_other_way():
    get, calls = keyset_server(tasks(300), descending_by_default=True)
    assert len(walk(get)) == 300
    assert calls[-1]["reverse"] == "false"


def test_a_task_edited_while_paging_is_neither_lost_nor_shifts_others_out():
    rows = tasks(300)
    get, calls = keyset_server(rows)
    seen = {}
    for n, page in enumerate(iter_tasks_by_updated(get, "team/1/task", {}, None, None)):
        for task in page:
            seen[task["id"]] = task
        if n == 0:  # t5, already read, is edited: it moves to the end of the order
            rows[5] = {"id": "t5", "date_updated": "9999"}
    assert len(seen) == 300
    assert seen["t5"]["date_updated"] == "9999"
