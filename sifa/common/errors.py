"""Domain errors. Services raise these; views and the API turn them into
clear Chinese messages (and HTTP 400/403/409) without changing anything."""


class DomainError(Exception):
    """A request that the rules refuse. ``message`` is shown to the user as is."""

    status_code = 400
    # More for the API's answer beside detail/code/field (e.g. the possible duplicates).
    extra: dict | None = None

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class Refused(DomainError):
    """The action is not allowed now (wrong state, guard failed, no permission)."""

    status_code = 400


class PermissionRefused(Refused):
    status_code = 403


class Conflict(DomainError):
    """Someone else changed the record since it was loaded (version mismatch)."""

    status_code = 409

    def __init__(self, message: str = "该记录已被他人修改，请刷新后重试。", **kw):
        super().__init__(message, code="conflict", **kw)
