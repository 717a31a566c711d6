"""Goals, a goal folder and key results of every type for one workspace."""

from __future__ import annotations

from clickup_simulator.generation import words
from clickup_simulator.generation.ids import uuid_from
from clickup_simulator.generation.mix import mix
from clickup_simulator.generation.world import Goal, GoalFolder, KeyResult

DAY_MS = 86_400_000
GOAL_NAMES = [
    "Grow revenue 20%",
    "Ship the mobile app",
    "Cut support backlog",
    "Hire 5 engineers",
    "SOC 2 readiness",
    "Improve NPS",
    "Launch in the EU",
    "Reduce churn",
]
KR_TYPES = [("number", "deals"), ("currency", "EUR"), ("boolean", ""), ("percentage", "%"), ("automatic", "")]


def generate_goals(world, ws, cfg, anchor_ms: int) -> None:
    staff = [m.user.pos for m in ws.members if m.joined and m.role in (1, 2, 3)]
    owner = ws.members[0].user
    folder_id = None
    if cfg.goals >= 2:
        folder_id = uuid_from(cfg.seed, ws.pos, 7000)
        world.goal_folders.append(
            GoalFolder(
                ws=ws.pos,
                id=folder_id,
                name="Quarterly goals",
                creator=owner.id,
                date_created=anchor_ms - 200 * DAY_MS,
                member_pos=[owner.pos],
            )
        )
    lists = [lst.pos for lst in world.lists if lst.ws == ws.pos]
    for g in range(cfg.goals):
        h = mix(cfg.seed, ws.pos, 7100 + g)
        created = anchor_ms - (30 + h % 300) * DAY_MS
        krs = []
        for k in range(1 + h % 3):
            kind, unit = KR_TYPES[(g + k) % len(KR_TYPES)]
            end = {"number": 10, "currency": 50_000, "boolean": 1, "percentage": 100, "automatic": None}[kind]
            current = None if end is None else round(end * ((h >> (4 * k)) % 11) / 10, 2)
            krs.append(
                KeyResult(
                    id=uuid_from(cfg.seed, ws.pos, 7200 + g * 10 + k),
                    name=f"{GOAL_NAMES[g % 8]} — step {k + 1}",
                    type=kind,
                    unit=unit,
                    creator=owner.id,
                    date_created=created + k * DAY_MS,
                    steps_start=None if end is None else 0,
                    steps_end=end,
                    steps_current=current,
                    owner_pos=[staff[(g + k) % len(staff)]],
                    list_pos=[lists[(g + k) % len(lists)]] if kind == "automatic" else [],
                )
            )
        completed = cfg.goals >= 3 and g == 0
        world.goals.append(
            Goal(
                ws=ws.pos,
                id=uuid_from(cfg.seed, ws.pos, 7300 + g),
                pretty_id=str(g + 1),
                name=GOAL_NAMES[g % 8],
                description=words.SENTENCES[h % len(words.SENTENCES)],
                creator=owner.id,
                color=words.COLORS[g % 16],
                date_created=created,
                date_updated=created + (h % 20) * DAY_MS,
                due_date=anchor_ms + (10 + h % 120) * DAY_MS,
                start_date=None if g % 2 else created,
                owner_pos=[staff[g % len(staff)]],
                member_pos=sorted({owner.pos, staff[(g + 1) % len(staff)]}),
                folder=folder_id if folder_id and g == cfg.goals - 1 else None,
                key_results=krs,
                percent_completed=100 if completed else (h >> 8) % 100,
            )
        )
