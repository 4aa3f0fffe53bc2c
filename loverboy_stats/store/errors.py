"""Errors of the store, with Dutch messages fit to show a user."""

from __future__ import annotations

CONFLICT_MESSAGE = "Deze checklist is intussen door iemand anders gewijzigd; laad opnieuw."
#: Any other refusal by the database (or a database that cannot be reached) while saving.
NOT_SAVED_MESSAGE = (
    "{what} kon niet worden opgeslagen: de database weigerde de gegevens of is niet bereikbaar. "
    "Er is niets opgeslagen. Probeer het later opnieuw; blijft het misgaan, meld het dan aan de "
    "beheerder."
)


class StoreError(Exception):
    """A store operation the user asked for cannot be done. ``message`` is Dutch."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ChecklistConflict(StoreError):
    """Someone else saved a newer version; the save was refused (message in Dutch)."""

    def __init__(self, message: str = CONFLICT_MESSAGE) -> None:
        super().__init__(message)
