"""Creating and editing goals (deleting one: `activity`). A new goal belongs to the workspace owner,
has no key results yet and is due in 30 days unless told otherwise; an edit stamps `date_updated`."""

from __future__ import annotations

from clickup_simulator.generation import words
from clickup_simulator.generation.ids import uuid_from
from clickup_simulator.generation.world import Goal
from clickup_simulator.rendering import goals as render_goals

DAY_MS = 86_400_000
GOAL_CHANGES = {"name", "description", "due_date", "color"}


class GoalMutations:
    def create_goal(
        self,
        workspace_id: str,
        name: str | None = None,
        description: str = "",
        due_date: int | None = None,
        color: str | None = None,
    ) -> dict:
        """A goal of the workspace, as `GET /goal/{id}` returns it."""
        with self.state.lock:
            ws = self.workspace(workspace_id)
            world = self.state.world
            now = self.clock.now_ms()
            owner = ws.members[0].user
            number = sum(1 for g in world.goals if g.ws == ws.pos) + 1
            goal = Goal(
                ws=ws.pos,
                id=uuid_from(self.config.seed, ws.pos, 0x60A1, len(world.goals)),
                pretty_id=str(number),
                name=name or f"Goal {number}",
                description=str(description),
                creator=owner.id,
                color=color or words.COLORS[number % len(words.COLORS)],
                date_created=now,
                date_updated=now,
                due_date=int(due_date) if due_date is not None else now + 30 * DAY_MS,
                start_date=None,
                owner_pos=[owner.pos],
                member_pos=[owner.pos],
                folder=None,
                key_results=[],
            )
            world.goals.append(goal)
            self.state.reindex()
            self.state.touch()
            return render_goals.goal_detail(self.state, goal)

    def update_goal(self, goal_id: str, **changes) -> dict:
        """Edit a goal: name, description, due_date (ms), color."""
        unknown = set(changes) - GOAL_CHANGES
        if unknown:
            raise ValueError(f"unknown goal changes: {sorted(unknown)}")
        with self.state.lock:
            goal = self._live_goal(goal_id)
            for key, value in changes.items():
                setattr(goal, key, int(value) if key == "due_date" else str(value))
            goal.date_updated = self.clock.stamp(goal.date_updated)
            self.state.touch()
            return render_goals.goal_detail(self.state, goal)

    def _live_goal(self, goal_id: str):
        goal = self.state.goal_by_id.get(str(goal_id))
        if goal is None or goal.deleted:
            raise LookupError(f"no goal {goal_id}")
        return goal
