"""Errors of the store, with Dutch messages fit to show a user."""

from __future__ import annotations

CONFLICT_MESSAGE = "Deze checklist is intussen door iemand anders gewijzigd; laad opnieuw."


class StoreError(Exception):
    """A store operation the user asked for cannot be done. ``message`` is Dutch."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ChecklistConflict(StoreError):
    """Someone else saved a newer version; the save was refused (message in Dutch)."""

    def __init__(self, message: str = CONFLICT_MESSAGE) -> None:
        super().__init__(message)
