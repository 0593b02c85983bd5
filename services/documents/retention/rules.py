"""The dates and permissions retention turns on: the district's calendar day and who may manage a document on a
unit (DOC-09). How long a class keeps a document is ``types.retention.retain_until``, counted from the last version."""

from __future__ import annotations

from datetime import date

from services.documents.access import STAFF
from services.documents.types.retention import DISTRICT_TIME, district_day
from shared.auth.principal import Principal
from shared.http.problems import ProblemError

ZONE = DISTRICT_TIME  # the district's calendar: a retention period ends on a Chinese calendar day


def today() -> date:
    return district_day()


def files_on(principal: Principal, path: str) -> bool:
    """Staff file (and so manage) documents on the units under their scope; the district admin everywhere."""
    return principal.has_role(*STAFF) and principal.may_see_path(path)


def forbidden(detail: str) -> ProblemError:
    """A 403 for a caller who reads the thing but may not manage it (one who may not read it gets the 404)."""
    return ProblemError(403, detail, title="Forbidden")
