"""Who may do what: roles, the actor every change is made by, and the rules.

Rights are enforced here and in the store, not by hiding buttons: every repository method that
changes something takes an :class:`Actor` and refuses with :class:`AccessDenied` (a Dutch
message), and the views refuse to build unprotected figures for someone not entitled to them.

* ``lezer`` sees everything, always in publication mode.
* ``invoerder`` stores, renames and deletes the datasets of its organisation, keeps the
  checklists of its organisation's areas, and may see the counts of its own municipalities
  unprotected (in a view of their own; every table of all areas stays protected).
* ``beheerder`` manages users and organisations, may change every dataset and checklist and may
  switch publication mode off entirely.

Without sign-in configured the app is a single-user tool on one computer: its user is
:data:`LOCAL_USER`, with a beheerder's rights. The command line acts as a named local operator
(:func:`local_operator`), also with a beheerder's rights: whoever runs it can read the
database anyway.
"""

from loverboy_stats.access.actor import (
    DEFAULT_ORGANISATION_ID,
    DEFAULT_ORGANISATION_NAME,
    LOCAL_USER,
    ROLE_LABELS,
    AccessDenied,
    Actor,
    Role,
    local_operator,
)
from loverboy_stats.access.areas import (
    area_label,
    area_options,
    check_area_code,
    municipalities_of,
)
from loverboy_stats.access.rights import (
    may_change_dataset,
    may_edit_area,
    may_see_own_unprotected,
    may_unprotect_all,
    may_upload,
    require_admin,
    require_unprotected,
)

__all__ = [
    "DEFAULT_ORGANISATION_ID",
    "DEFAULT_ORGANISATION_NAME",
    "LOCAL_USER",
    "ROLE_LABELS",
    "AccessDenied",
    "Actor",
    "Role",
    "area_label",
    "area_options",
    "check_area_code",
    "local_operator",
    "may_change_dataset",
    "may_edit_area",
    "may_see_own_unprotected",
    "may_unprotect_all",
    "may_upload",
    "municipalities_of",
    "require_admin",
    "require_unprotected",
]
