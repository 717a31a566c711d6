"""ClickUp's error answers: `{"err": …, "ECODE": …}` JSON with the status ClickUp uses, or the bare HTML
404 it gives for a method a known path does not support. Codes marked (doc) are documented or seen in
recorded traffic (docs/clickup-api.md §3.3); the others are chosen in ClickUp's style where nothing is
documented.
"""

from __future__ import annotations


class ApiError(Exception):
    def __init__(self, status: int, err: str | None, ecode: str | None, html: bool = False, **extra):
        super().__init__(f"{status} {ecode} {err}")
        self.status = status
        self.body = {"err": err, "ECODE": ecode, **extra} if not html else None
        self.html = html


HTML_404 = (
    b'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n'
    b"</head>\n<body>\n<pre>Cannot {method} {path}</pre>\n</body>\n</html>\n"
)


def missing_header() -> ApiError:  # (doc)
    return ApiError(401, "Authorization header required", "OAUTH_017")


def bad_token() -> ApiError:  # (doc) real 401 body
    return ApiError(401, "Token invalid", "OAUTH_025")


def team_not_authorized() -> ApiError:  # (doc) real 401 body
    return ApiError(401, "Team not authorized", "OAUTH_027")


def route_not_found() -> ApiError:  # (doc)
    return ApiError(404, "Route not found", "APP_001")


def method_not_supported() -> ApiError:  # (doc) 404 with an HTML body
    return ApiError(404, None, None, html=True)


def rate_limited() -> ApiError:  # (doc, weakly)
    return ApiError(429, "Rate limit reached", "APP_002")


def task_deleted() -> ApiError:  # (doc)
    return ApiError(404, "Task not found, deleted", "ITEM_013")


def task_not_found() -> ApiError:  # (doc) same code, shorter text, for ids that never existed
    return ApiError(404, "Task not found", "ITEM_013")


def task_no_access() -> ApiError:  # (doc) seen as a 401 from ClickUp's task service
    return ApiError(401, "You do not have access to this task", "ACCESS_083")


def no_access(what: str) -> ApiError:
    return ApiError(401, f"You do not have access to this {what}", "ACCESS_080")


def space_not_found() -> ApiError:  # (doc)
    return ApiError(404, "Space not found", "PROJ_006")


def folder_invalid() -> ApiError:  # (doc)
    return ApiError(400, "Folder ID invalid", "INPUT_011")


def not_found(what: str) -> ApiError:  # (doc) ITEM_015 is ClickUp's generic "object not found"
    return ApiError(404, f"{what} not found", "ITEM_015")


def invalid_input(message: str) -> ApiError:
    return ApiError(400, message, "INPUT_005")


def time_in_status_disabled() -> ApiError:
    return ApiError(400, "Total time in Status ClickApp is not enabled for this Workspace", "TIS_001")


def time_entries_of_others() -> ApiError:
    return ApiError(401, "You do not have permission to view time entries of other users", "ACCESS_064")
