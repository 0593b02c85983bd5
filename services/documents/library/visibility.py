"""Which documents a caller may read (DOC-02), as the SQL every read filters by: a get, a list, a search, a download.

- District admins (no scope): every document of the district.
- Street admins, community cadres, grid leaders: documents anchored under their scope (a C-collated range).
- Hotline operators and supervisors: documents about tickets and referrals, district-wide, as dispatch shows them.
- Members, volunteers, residents: what they added, and documents of a ``subject``-visible type about themselves.
Deleted documents are listed for the record but their files are gone; pending ones only to whoever uploads them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, true

from services.documents.access import HOTLINE, STAFF
from services.documents.library.models import Document, DocumentState, SubjectKind
from shared.auth.principal import Principal
from shared.db.paths import under


def readable(principal: Principal, rows: Any = Document) -> ColumnElement[bool]:
    """The documents ``principal`` may read (RLS has already confined them to the district). ``rows``: ``Document``,
    or the columns of ``document_search`` (its copies of the same facts) that a search filters by."""
    own = rows.created_by == principal.user_id
    about_me = rows.about_user_id == principal.user_id
    settled = rows.state != DocumentState.PENDING
    if principal.has_role(*STAFF):
        scoped = true() if principal.scope is None else under(rows.anchor_path, principal.scope)
        return or_(and_(settled, scoped), own)
    if principal.has_role(*HOTLINE):
        tickets = rows.subject_kind.in_((SubjectKind.TICKET, SubjectKind.REFERRAL))
        return or_(and_(settled, tickets), own)
    return or_(own, and_(settled, about_me)) if principal.user_id else false()


def access_lexemes(principal: Principal) -> tuple[str, ...] | None:
    """What ``readable`` asks of a document's place, people and subject as lexemes of its search row, one of which
    the row must carry (the database puts them there: ``documents_access_lexemes``, migration 0007); None when
    ``readable`` asks nothing of them (district admins), or cannot be said so (a scope that is not a whole subtree).

    With "not pending, or one's own" beside it, this finds exactly what ``readable`` reads: for staff,
    (in scope or own) and (settled or own) is (settled and in scope) or own; likewise for the hotline and the rest.
    """
    own = (f"by:{principal.user_id}",) if principal.user_id else ()
    if principal.has_role(*STAFF):
        if principal.scope is None or not principal.scope.endswith("/"):
            return None
        return (f"in:{principal.scope}", *own)
    if principal.has_role(*HOTLINE):
        return (f"on:{SubjectKind.TICKET}", f"on:{SubjectKind.REFERRAL}", *own)
    return (*own, f"about:{principal.user_id}") if principal.user_id else ()
