"""Which documents a caller may read (DOC-02), as the SQL every read filters by: a get, a list, a search, a download.

- District admins (no scope): every document of the district.
- Street admins, community cadres, grid leaders: documents anchored under their scope (a C-collated range).
- Hotline operators and supervisors: documents about tickets and referrals, district-wide, as dispatch shows them.
- Members, volunteers, residents: what they added, and documents of a ``subject``-visible type about themselves.
Deleted documents are listed for the record but their files are gone; pending ones only to whoever uploads them.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, true

from services.documents.access import HOTLINE, STAFF
from services.documents.library.models import Document, DocumentState, SubjectKind
from shared.auth.principal import Principal
from shared.db.paths import under


def readable(principal: Principal) -> ColumnElement[bool]:
    """The documents ``principal`` may read (RLS has already confined them to the district)."""
    own = Document.created_by == principal.user_id
    about_me = Document.about_user_id == principal.user_id
    settled = Document.state != DocumentState.PENDING
    if principal.has_role(*STAFF):
        scoped = true() if principal.scope is None else under(Document.anchor_path, principal.scope)
        return or_(and_(settled, scoped), own)
    if principal.has_role(*HOTLINE):
        tickets = Document.subject_kind.in_((SubjectKind.TICKET, SubjectKind.REFERRAL))
        return or_(and_(settled, tickets), own)
    return or_(own, and_(settled, about_me)) if principal.user_id else false()
