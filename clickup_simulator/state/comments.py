"""Task comments and threaded replies.

Generated comments are derived from (seed, task, k): their count is a task column, their ids encode
the task and position (`generation.ids.comment_id`), their dates lie between the task's creation and
last update.
Comments and replies created at run time are kept in dicts; deleted ones in a set, the new text of
edited generated ones in a dict. A task's comments are served newest first, 25 per call, continuing
after the (`start`, `start_id`) comment.
"""

from __future__ import annotations

from clickup_simulator.generation import ids, words
from clickup_simulator.generation.mix import mix, unit

PAGE = 25


class Comments:
    def __init__(self, state):
        self.state = state
        self.created: dict[int, dict] = {}  # run-time comment number -> record
        self.by_task: dict[int, list[int]] = {}  # task -> run-time comment numbers (top level)
        self.by_parent: dict[str, list[int]] = {}  # comment id -> run-time reply numbers
        self.deleted: set[str] = set()
        self.edited: dict[str, str] = {}  # generated comment id -> its text since an edit

    # -- generated comments -------------------------------------------------------------------------
    def _generated(self, task: int, k: int) -> dict:
        t = self.state.tasks
        created, updated = int(t.column("created")[task]), int(t.column("updated")[task])
        count = int(t.column("ncomments")[task])
        span = max(1, updated - created)
        # k-th oldest: evenly spread with jitter, so dates ascend with k and stay <= date_updated
        date = created + int(span * (k + unit(self.state.seed, task, k)) / (count + 1))
        author = self._author(task, k)
        replies = mix(self.state.seed, task, k, 9) % 4 if mix(self.state.seed, task, k, 8) % 10 == 0 else 0
        return {
            "id": ids.comment_id(task, k),
            "text": self._text(ids.comment_id(task, k), task, k),
            "user": author,
            "date": date,
            "replies": replies,
            "task": task,
            "parent": None,
            "resolved": mix(self.state.seed, task, k, 7) % 5 == 0,
            "assignee": author if mix(self.state.seed, task, k, 6) % 12 == 0 else None,
        }

    def _generated_reply(self, task: int, k: int, j: int) -> dict:
        parent = self._generated(task, k)
        return {
            "id": ids.reply_id(task, k, j),
            "text": self._text(ids.reply_id(task, k, j), task, k, j),
            "user": self._author(task, k * 16 + j + 1),
            "date": parent["date"] + (j + 1) * 600_000,
            "replies": 0,
            "task": task,
            "parent": parent["id"],
            "resolved": False,
            "assignee": None,
        }

    def _text(self, comment_id: str, *where: int) -> str:
        edited = self.edited.get(comment_id)
        return words.comment_text(self.state.seed, *where) if edited is None else edited

    def _author(self, task: int, k: int) -> int:
        members = self.state.ws_of_task(task).members
        people = [m.user.pos for m in members if m.joined]
        return people[mix(self.state.seed, task, k, 5) % len(people)]

    # -- lookups ------------------------------------------------------------------------------------
    def record(self, comment_id: str) -> dict | None:
        """The comment or reply with that id, if it exists and was not deleted."""
        if comment_id in self.deleted:
            return None
        decoded = ids.decode_comment(comment_id)
        if decoded is None:
            return None
        kind, a, b, c = decoded
        if kind == "created":
            return self.created.get(a)
        if a >= self.state.tasks.n or self.state.tasks.column("deleted")[a]:
            return None
        if b >= int(self.state.tasks.column("ncomments")[a]) or a >= self.state.generated:
            return None
        if kind == "comment":
            return self._generated(a, b)
        if c >= self._generated(a, b)["replies"] or ids.comment_id(a, b) in self.deleted:
            return None
        return self._generated_reply(a, b, c)

    def top_level(self, task: int) -> list[dict]:
        """The task's live comments, newest first."""
        out = []
        if task < self.state.generated:
            out = [self._generated(task, k) for k in range(int(self.state.tasks.column("ncomments")[task]))]
        out += [self.created[n] for n in self.by_task.get(task, ())]
        out = [c for c in out if c["id"] not in self.deleted]
        out.sort(key=lambda c: (c["date"], int(c["id"])), reverse=True)
        return out

    def replies(self, comment: dict) -> list[dict]:
        """Replies of a comment, oldest first."""
        out = []
        decoded = ids.decode_comment(comment["id"])
        if decoded and decoded[0] == "comment":
            _, task, k, _ = decoded
            out = [self._generated_reply(task, k, j) for j in range(comment["replies"])]
        out += [self.created[n] for n in self.by_parent.get(comment["id"], ())]
        out = [c for c in out if c["id"] not in self.deleted]
        out.sort(key=lambda c: (c["date"], int(c["id"])))
        return out

    def page(self, task: int, start: int | None, start_id: str | None) -> list[dict]:
        """Up to 25 comments older than the reference comment (all from the newest when none)."""
        comments = self.top_level(task)
        if start is None and not start_id:
            return comments[:PAGE]
        position = next((k for k, c in enumerate(comments) if c["id"] == start_id), None)
        if position is not None:
            return comments[position + 1 : position + 1 + PAGE]
        ref = (
            start if start is not None else 1 << 62,
            int(start_id) if start_id and start_id.isdigit() else 1 << 62,
        )
        return [c for c in comments if (c["date"], int(c["id"])) < ref][:PAGE]

    # -- rendering ----------------------------------------------------------------------------------
    def render(self, c: dict) -> dict:
        state = self.state
        user = state.user_full(c["user"])
        assignee = state.user_full(c["assignee"]) if c["assignee"] is not None else None
        reply_count = len(self.replies(c)) if c.get("parent") is None else 0
        return {
            "id": c["id"],
            "comment": [{"text": c["text"]}],
            "comment_text": c["text"],
            "user": user,
            "resolved": c["resolved"],
            "assignee": assignee,
            "assigned_by": user if assignee is not None else None,
            "reactions": [],
            "date": str(c["date"]),
            "reply_count": str(reply_count),
        }

    # -- mutations ----------------------------------------------------------------------------------
    def add(self, task: int, text: str, user: int, when: int, parent: dict | None = None) -> dict:
        number = len(self.created)
        record = {
            "id": str(ids.CREATED_COMMENT_BASE + number),
            "text": text,
            "user": user,
            "date": when,
            "replies": 0,
            "task": task,
            "resolved": False,
            "assignee": None,
            "parent": parent["id"] if parent else None,
        }
        self.created[number] = record
        if parent is None:
            self.by_task.setdefault(task, []).append(number)
        else:
            self.by_parent.setdefault(parent["id"], []).append(number)
        return record

    def edit(self, record: dict, text: str) -> None:
        """New text for a comment or reply (generated ones keep it in `edited`)."""
        kind = ids.decode_comment(record["id"])[0]
        if kind == "created":
            record["text"] = text
        else:
            self.edited[record["id"]] = text

    def delete(self, comment_id: str) -> None:
        self.deleted.add(comment_id)
