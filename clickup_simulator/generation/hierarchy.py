"""Generating the hierarchy of every workspace: users, members, groups, tokens, spaces, folders (and
subfolders), lists, tags, custom field definitions and goals. Deterministic for a seed."""

from __future__ import annotations

import numpy as np

from clickup_simulator.config import SimulatorConfig
from clickup_simulator.generation import customfields, words
from clickup_simulator.generation.goals import generate_goals
from clickup_simulator.generation.ids import uuid_from
from clickup_simulator.generation.mix import mix
from clickup_simulator.generation.world import (
    CLOSED,
    CUSTOM,
    DONE,
    OPEN,
    Field,
    Folder,
    Group,
    Lst,
    Member,
    Space,
    Status,
    Tag,
    Token,
    User,
    Workspace,
    World,
)

DAY_MS = 86_400_000
STATUS_SETS = [
    [
        ("to do", OPEN, "#d3d3d3"),
        ("in progress", CUSTOM, "#4194f6"),
        ("review", CUSTOM, "#a875ff"),
        ("done", DONE, "#6bc950"),
        ("complete", CLOSED, "#6bc950"),
    ],
    [
        ("backlog", OPEN, "#d3d3d3"),
        ("doing", CUSTOM, "#f9d900"),
        ("shipped", DONE, "#2ecd6f"),
        ("closed", CLOSED, "#6bc950"),
    ],
]
LIST_STATUSES = [
    ("new", OPEN, "#87909e"),
    ("working", CUSTOM, "#1090e0"),
    ("blocked", CUSTOM, "#e50000"),
    ("resolved", DONE, "#008844"),
    ("closed", CLOSED, "#6bc950"),
]


class _Numbers:
    """Increasing numeric ids per kind, with seeded gaps (ClickUp ids are sparse, never reused)."""

    BASES = {
        "team": 9_012_000_000,
        "space": 90_120_000_000,
        "folder": 90_121_000_000,
        "list": 901_200_000_000,
        "user": 81_000_000,
    }

    def __init__(self, seed: int):
        self.seed = seed
        self.last = {
            k: base + mix(seed, i) % (base // 1000) for i, (k, base) in enumerate(self.BASES.items())
        }
        self.count = 0

    def next(self, kind: str) -> int:
        self.count += 1
        self.last[kind] += 1 + mix(self.seed, self.count) % 97
        return self.last[kind]


def status_objects(prefix: str, spec, seed: int) -> list[Status]:
    number = int(prefix.lstrip("psc"))
    return [
        Status(
            id=f"{prefix}_{mix(seed, number, k) & 0xFFFFFFFF:08x}",
            status=name,
            type=stype,
            orderindex=k,
            color=color,
        )
        for k, (name, stype, color) in enumerate(spec)
    ]


def generate_world(cfg: SimulatorConfig, anchor_ms: int) -> World:
    world = World()
    numbers = _Numbers(cfg.seed)
    rng = np.random.default_rng([cfg.seed, 11])
    owner = _user(world, numbers, cfg.seed, invited=False)
    for w in range(cfg.workspaces):
        ws_id = str(numbers.next("team"))
        ws = Workspace(
            pos=w,
            id=ws_id,
            name=f"{words.SPACE_NAMES[w % 12]} Co {w + 1}",
            color=words.COLORS[w % 16],
            tis_enabled=cfg.tis_enabled_for(w, ws_id),
        )
        world.workspaces.append(ws)
        _members(world, ws, owner, numbers, cfg, anchor_ms)
        _groups(world, ws, cfg, anchor_ms)
        ws.te_tags = [
            Tag(name, words.COLORS[k], words.COLORS[k + 5], owner.id)
            for k, name in enumerate(["meeting", "deep-work", "billable-review"])
        ]
        _spaces(world, ws, numbers, cfg, rng, anchor_ms)
        _folders(world, ws, numbers, cfg, rng)
        _lists(world, ws, numbers, cfg, rng, anchor_ms)
        _fields(world, ws, cfg, anchor_ms)
        generate_goals(world, ws, cfg, anchor_ms)
    _tokens(world, cfg, numbers)
    return world


def _user(world: World, numbers: _Numbers, seed: int, invited: bool) -> User:
    pos = len(world.users)
    uid = numbers.next("user")
    first, last = words.person(mix(seed, uid))
    user = User(
        pos=pos,
        id=uid,
        username=None if invited else f"{first} {last}",
        email=f"{first.lower()}.{last.lower()}{pos}@example.com",
        color=None if pos % 7 == 3 else words.COLORS[pos % 16],
        initials=(first[0] + last[0]).upper(),
        picture=None if pos % 3 else f"https://attachments.clickup.com/profilePictures/{uid}_a1B.jpg",
        week_start_day=None if pos % 4 else 1,
    )
    world.users.append(user)
    return user


def _members(world, ws, owner, numbers, cfg, anchor_ms) -> None:
    start = anchor_ms - cfg.history_days * DAY_MS - 30 * DAY_MS
    ws.members.append(Member(owner, 1, start, start, anchor_ms - 3_600_000))
    total = cfg.members
    admins = max(1, total // 10) if total > 1 else 0
    guests = total // 7
    invited = 1 if total >= 5 else 0
    for k in range(1, total):
        never_joined = bool(invited) and k == total - 1
        if k <= admins:
            role = 2
        elif k >= total - invited - guests and not never_joined:
            role = 4
        else:
            role = 3
        user = _user(world, numbers, cfg.seed, invited=never_joined)
        invited_at = start + mix(cfg.seed, user.id) % (cfg.history_days * DAY_MS // 2)
        if never_joined:
            ws.members.append(Member(user, 3, None, invited_at, None, invited_by=owner))
        else:
            joined = invited_at + mix(cfg.seed, user.id, 1) % (3 * DAY_MS)
            ws.members.append(
                Member(
                    user,
                    role,
                    joined,
                    invited_at,
                    anchor_ms - mix(cfg.seed, user.id, 2) % (20 * DAY_MS),
                    invited_by=owner if k % 2 else None,
                )
            )


def _groups(world, ws, cfg, anchor_ms) -> None:
    staff = [m.user.pos for m in ws.members if m.joined and m.role != 4]
    for g in range(min(cfg.groups, max(0, len(staff) - 1))):
        name = ["Product managers", "HR department", "Platform team", "Design crew", "Sales leads"][g % 5]
        members = sorted({staff[mix(cfg.seed, ws.pos, g, k) % len(staff)] for k in range(2 + g % 4)})
        ws.groups.append(
            Group(
                id=uuid_from(cfg.seed, ws.pos, 900 + g),
                name=name,
                handle=name.lower().replace(" ", "-"),
                creator=ws.members[0].user.id,
                date_created=anchor_ms - (300 + 40 * g) * DAY_MS,
                member_pos=members,
            )
        )


def _spaces(world, ws, numbers, cfg, rng, anchor_ms) -> None:
    staff = [m.user.pos for m in ws.members if m.joined and m.role in (1, 2, 3)]
    for s in range(cfg.spaces):
        sid = str(numbers.next("space"))
        features = {
            "due_dates": {
                "enabled": True,
                "start_date": s % 2 == 0,
                "remap_due_dates": True,
                "remap_closed_due_date": False,
            },
            "time_tracking": {"enabled": True}
            if s % 3
            else {"harvest": False, "rollup": False, "default_to_billable": 2},
            "tags": {"enabled": True},
            "custom_fields": {"enabled": True},
            "remap_dependencies": {"enabled": True},
            "dependency_warning": {"enabled": True},
            "portfolios": {"enabled": True},
            "points": {"enabled": s % 2 == 1},
            "priorities": {
                "enabled": True,
                "priorities": [
                    {"color": c, "id": str(k + 1), "orderindex": str(k + 1), "priority": p}
                    for k, (p, c) in enumerate(zip(PRIORITY_NAMES, PRIORITY_COLORS, strict=True))
                ],
            },
        }
        if s % 4 != 1:
            features["time_estimates"] = {"enabled": True, "rollup": False, "per_assignee": False}
        if s % 4 != 2:
            features["checklists"] = {"enabled": True}
        private = cfg.spaces >= 3 and s == 1
        space = Space(
            pos=len(world.spaces),
            ws=ws.pos,
            id=sid,
            name=words.SPACE_NAMES[s % 12],
            color=None if s % 5 == 4 else words.COLORS[(s * 3) % 16],
            private=private,
            statuses=status_objects(f"p{sid}", STATUS_SETS[s % 2], cfg.seed),
            features=features,
            hidden_folder_id=str(numbers.next("folder")),
            multiple_assignees=s % 3 != 2,
            admin_can_manage=None if s % 6 == 5 else True,
            archived=s >= cfg.spaces - cfg.archived_spaces,
            member_pos=sorted({staff[0]} | {staff[k % len(staff)] for k in range(1, 4, 2)})
            if private
            else [],
        )
        count = 4 + s % 5
        space.tags = [
            Tag(
                words.TAG_NAMES[(s + k * 3) % 16],
                words.COLORS[(s + k) % 16],
                words.COLORS[(s + 2 * k + 5) % 16],
                ws.members[0].user.id,
            )
            for k in range(count)
        ]
        space.tags = list({t.name: t for t in space.tags}.values())
        world.spaces.append(space)


PRIORITY_NAMES = ["urgent", "high", "normal", "low"]
PRIORITY_COLORS = ["#f50000", "#f8ae00", "#6fddff", "#d8d8d8"]


def _ws_spaces(world, ws) -> list[Space]:
    return [s for s in world.spaces if s.ws == ws.pos]


def _folders(world, ws, numbers, cfg, rng) -> None:
    spaces = _ws_spaces(world, ws)
    top_count = cfg.folders - cfg.subfolders
    tops = []
    for f in range(top_count):
        space = spaces[f % len(spaces)]
        folder = Folder(
            pos=len(world.folders),
            ws=ws.pos,
            space=space.pos,
            id=str(numbers.next("folder")),
            name=words.FOLDER_NAMES[f % 12],
            orderindex=f // len(spaces),
            archived=f >= top_count - cfg.archived_folders,
        )
        world.folders.append(folder)
        tops.append(folder)
    for k in range(cfg.subfolders):
        parent = tops[-1 - (k % len(tops))]  # the first hangs under the last folder, archived if any is
        world.folders.append(
            Folder(
                pos=len(world.folders),
                ws=ws.pos,
                space=parent.space,
                id=str(numbers.next("folder")),
                name=f"{parent.name} / part {k + 1}",
                orderindex=k,
                parent=parent.pos,
            )
        )


def _lists(world, ws, numbers, cfg, rng, anchor_ms) -> None:
    spaces = _ws_spaces(world, ws)
    folders = [f for f in world.folders if f.ws == ws.pos]
    containers = [("folder", f.pos, f.space) for f in folders] + [("space", None, s.pos) for s in spaces]
    slots = containers[: cfg.lists]
    extra = cfg.lists - len(slots)
    if extra > 0:
        picks = rng.integers(0, len(containers), size=extra)
        slots += [containers[int(p)] for p in picks]
    order_in = {}
    made = []
    for k, (_, folder, space) in enumerate(slots):
        lid = str(numbers.next("list"))
        override = k % 10 == 7
        statuses = (
            status_objects(f"sc{lid}", LIST_STATUSES, cfg.seed) if override else world.spaces[space].statuses
        )
        key = (folder, space)
        order_in[key] = order_in.get(key, -1) + 1
        h = mix(cfg.seed, int(lid))
        lst = Lst(
            pos=len(world.lists),
            ws=ws.pos,
            space=space,
            folder=folder,
            id=lid,
            name=words.LIST_NAMES[k % 16] + ("" if k < 16 else f" {k // 16 + 1}"),
            orderindex=order_in[key],
            content="" if h % 3 else "Everything for this stream.",
            statuses=statuses,
            override_statuses=override,
            status=None if h % 4 else {"status": "on track", "color": "#6bc950", "hide_label": False},
            priority=None if h % 5 else {"priority": "high", "color": "#ffcc00"},
            due_date=None if h % 2 else anchor_ms + (h % 90) * DAY_MS,
            start_date=None if h % 6 else anchor_ms - (h % 200) * DAY_MS,
        )
        world.lists.append(lst)
        made.append(lst)
    visible = [lst for lst in made if not world.list_hidden(lst)]
    chosen = (
        rng.choice(len(visible), size=min(cfg.archived_lists, len(visible) - 1), replace=False)
        if len(visible) > 1
        else []
    )
    for c in sorted(int(c) for c in chosen):
        visible[c].archived = True
    live = [lst for lst in made if not world.list_hidden(lst)]
    guests = [m.user.pos for m in ws.members if m.role == 4]
    for g, guest in enumerate(guests):
        for k in range(min(2, len(live))):
            live[(g * 2 + k) % len(live)].guest_pos.append(guest)


def _fields(world, ws, cfg, anchor_ms) -> None:
    spaces = _ws_spaces(world, ws)
    folders = [f for f in world.folders if f.ws == ws.pos]
    lists = [lst for lst in world.lists if lst.ws == ws.pos]
    list_ids = [lst.id for lst in lists]
    placed: list[tuple[str, str, int, int | None]] = []  # (type, level, owner, item)
    for t in customfields.WORKSPACE_TYPES:
        placed.append((t, "workspace", ws.pos, None))
    placed.append(("drop_down", "workspace", ws.pos, 1300))  # only on tasks of the Bug type
    leftovers = []
    for level, types, owners in (
        ("space", customfields.SPACE_TYPES, spaces),
        ("folder", customfields.FOLDER_TYPES, folders),
        ("list", customfields.LIST_TYPES, lists[::3]),
    ):
        per_owner = 2 if level == "space" else 1
        used = set()
        for k, owner in enumerate(owners):
            for j in range(per_owner):
                t = types[(k * per_owner + j) % len(types)]
                used.add(t)
                placed.append((t, level, owner.pos, None))
        leftovers += [t for t in types if t not in used]
    placed += [(t, "workspace", ws.pos, None) for t in leftovers]
    for k, (ftype, level, owner, item) in enumerate(placed):
        pos = len(world.fields)
        name = "Severity" if item else customfields.FIELD_NAMES[ftype]
        if level != "workspace":
            name = f"{name} ({level} {k})"
        world.fields.append(
            Field(
                pos=pos,
                ws=ws.pos,
                id=uuid_from(cfg.seed, 5000 + pos),
                name=name,
                type=ftype,
                type_config=customfields.type_config(ftype, cfg.seed, pos, list_ids),
                date_created=anchor_ms - (cfg.history_days + 20 - k) * DAY_MS,
                level=level,
                owner=owner,
                hide_from_guests=k % 9 == 4,
                required=False,
                item=item,
            )
        )


def _tokens(world, cfg, numbers) -> None:
    everywhere = tuple(range(len(world.workspaces)))
    owner = world.workspaces[0].members[0].user
    world.tokens.append(Token(cfg.token, "primary", owner.pos, everywhere))

    def token_for(user, salt):
        return f"pk_{user.id}_{uuid_from(cfg.seed, user.id, salt).replace('-', '')[:32].upper()}"

    for ws in world.workspaces:
        admin = next((m for m in ws.members if m.role == 2 and m.joined), None)
        if admin:
            world.tokens.append(Token(token_for(admin.user, 1), "admin", admin.user.pos, (ws.pos,)))
    for k in range(cfg.shared_tokens):  # one owner, many tokens: the workspaces spread over them
        reach = tuple(range(k, len(world.workspaces), cfg.shared_tokens))
        world.tokens.append(Token(token_for(owner, 100 + k), "shared", owner.pos, reach))
    first = world.workspaces[0]
    member = next((m for m in first.members if m.role == 3 and m.joined), None)
    if member:
        world.tokens.append(Token(token_for(member.user, 2), "member", member.user.pos, (0,)))
    guest = next((m for m in first.members if m.role == 4 and m.joined), None)
    if guest:
        world.tokens.append(Token(token_for(guest.user, 3), "guest", guest.user.pos, (0,)))
    loner = User(
        pos=len(world.users),
        id=numbers.next("user"),
        username="Nobody Here",
        email="nobody@example.com",
        color=None,
        initials="NH",
        picture=None,
    )
    world.users.append(loner)
    world.tokens.append(Token(token_for(loner, 4), "nobody", loner.pos, ()))
