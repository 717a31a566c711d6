"""The records behind the hierarchy: users, workspaces, spaces, folders, lists, fields, goals, tokens.

These are few (thousands at most) and held as plain dataclasses; tasks and time entries, which can be
millions, live in numpy columns instead (`tasktable`, `state.timeentries`). Every record keeps its
position (`pos`) in its world list, which is what the columns refer to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLE_KEYS = {1: "owner", 2: "admin", 3: "member", 4: "guest"}
OPEN, CUSTOM, DONE, CLOSED = 0, 1, 2, 3
STATUS_TYPES = ("open", "custom", "done", "closed")
CUSTOM_ITEMS = [  # custom task types of every workspace; 0 (task) and 1 (milestone) are built in
    {"id": 1300, "name": "Bug", "name_plural": "Bugs", "description": "Something that does not work."},
]


@dataclass
class User:
    pos: int
    id: int
    username: str | None
    email: str
    color: str | None
    initials: str
    picture: str | None
    timezone: str = "Europe/Berlin"
    week_start_day: int | None = None


@dataclass
class Member:
    user: User
    role: int
    date_joined: int | None
    date_invited: int
    last_active: int | None
    invited_by: User | None = None

    @property
    def joined(self) -> bool:
        return self.date_joined is not None


@dataclass
class Status:
    id: str
    status: str
    type: int
    orderindex: int
    color: str


@dataclass
class Tag:
    name: str
    fg: str
    bg: str
    creator: int


@dataclass
class Group:
    id: str
    name: str
    handle: str
    creator: int
    date_created: int
    member_pos: list[int]


@dataclass
class Workspace:
    pos: int
    id: str
    name: str
    color: str
    members: list[Member] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    tis_enabled: bool = True
    te_tags: list[Tag] = field(default_factory=list)

    def member(self, user_pos: int) -> Member | None:
        return next((m for m in self.members if m.user.pos == user_pos), None)


@dataclass
class Space:
    pos: int
    ws: int
    id: str
    name: str
    color: str | None
    private: bool
    statuses: list[Status]
    features: dict
    hidden_folder_id: str
    multiple_assignees: bool = True
    admin_can_manage: bool | None = True
    archived: bool = False
    deleted: bool = False
    member_pos: list[int] = field(default_factory=list)  # private spaces only
    tags: list[Tag] = field(default_factory=list)


@dataclass
class Folder:
    pos: int
    ws: int
    space: int
    id: str
    name: str
    orderindex: int
    parent: int | None = None
    archived: bool = False
    deleted: bool = False


@dataclass
class Lst:
    pos: int
    ws: int
    space: int
    folder: int | None
    id: str
    name: str
    orderindex: int
    content: str
    statuses: list[Status]
    override_statuses: bool = False
    status: dict | None = None
    priority: dict | None = None
    due_date: int | None = None
    start_date: int | None = None
    archived: bool = False
    deleted: bool = False
    guest_pos: list[int] = field(default_factory=list)  # guests this list is shared with


@dataclass
class Field:
    pos: int
    ws: int
    id: str
    name: str
    type: str
    type_config: dict
    date_created: int
    level: str  # workspace | space | folder | list
    owner: int  # position of the workspace / space / folder / list that created it
    hide_from_guests: bool = False
    required: bool = False
    item: int | None = None  # only tasks of this custom item id carry the field


@dataclass
class KeyResult:
    id: str
    name: str
    type: str
    unit: str
    creator: int
    date_created: int
    steps_start: float | None
    steps_end: float | None
    steps_current: float | None
    owner_pos: list[int]
    task_pos: list[int] = field(default_factory=list)
    list_pos: list[int] = field(default_factory=list)


@dataclass
class Goal:
    ws: int
    id: str
    pretty_id: str
    name: str
    description: str
    creator: int
    color: str
    date_created: int
    date_updated: int
    due_date: int
    start_date: int | None
    owner_pos: list[int]
    member_pos: list[int]
    folder: str | None
    key_results: list[KeyResult]
    percent_completed: int = 0
    archived: bool = False
    private: bool = False
    deleted: bool = False


@dataclass
class GoalFolder:
    ws: int
    id: str
    name: str
    creator: int
    date_created: int
    member_pos: list[int]


@dataclass
class Token:
    token: str
    kind: str  # primary | admin | shared | member | guest | nobody
    user: int  # user position
    workspaces: tuple[int, ...]  # workspace positions it reaches


@dataclass
class World:
    users: list[User] = field(default_factory=list)
    workspaces: list[Workspace] = field(default_factory=list)
    spaces: list[Space] = field(default_factory=list)
    folders: list[Folder] = field(default_factory=list)
    lists: list[Lst] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    goal_folders: list[GoalFolder] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)

    def folder_chain_archived(self, folder_pos: int | None) -> bool:
        while folder_pos is not None:
            folder = self.folders[folder_pos]
            if folder.archived or folder.deleted:
                return True
            folder_pos = folder.parent
        return False

    def list_hidden(self, lst: Lst) -> bool:
        """True when the workspace task endpoint leaves the list's tasks out."""
        space = self.spaces[lst.space]
        return (
            lst.archived
            or lst.deleted
            or space.archived
            or space.deleted
            or self.folder_chain_archived(lst.folder)
        )

    def list_gone(self, lst: Lst) -> bool:
        """Deleted itself or through a deleted parent."""
        if lst.deleted or self.spaces[lst.space].deleted:
            return True
        folder = lst.folder
        while folder is not None:
            if self.folders[folder].deleted:
                return True
            folder = self.folders[folder].parent
        return False

    def fields_for_list(self, lst: Lst) -> list[Field]:
        """Every field usable in the list: workspace, space, folder chain, then its own."""
        folders = set()
        folder = lst.folder
        while folder is not None:
            folders.add(folder)
            folder = self.folders[folder].parent
        out = []
        for fld in self.fields:
            if fld.ws != lst.ws:
                continue
            if (
                fld.level == "workspace"
                or (fld.level == "space" and fld.owner == lst.space)
                or (fld.level == "folder" and fld.owner in folders)
                or (fld.level == "list" and fld.owner == lst.pos)
            ):
                out.append(fld)
        return out
