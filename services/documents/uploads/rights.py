"""Where a caller may file a document (DOC-02), and so where its anchor lies.

- Staff (district admin, street admin, community cadre, grid leader) file on a unit under their scope, or on a
  subject the subject directory knows whose path lies under their scope; a unit or subject outside it is a 404,
  as something not there. Only district admins (no scope) file on the district as a whole (anchor '/').
- Hotline operators and supervisors file about tickets the directory knows (referral notices, callback records).
- Members, volunteers and residents file only documents about themselves, of a type the person it is about may
  see (visibility ``subject`` or ``public``): about their own member record (anchored where that record is, so
  their grid's staff read it too), or, without a subject, about themselves on the district (anchor '/', read by
  them and the district's admins). ``about_user_id`` is always themselves.
- Evidence (EVT-06, DSP-22): the provider's login holding a ticket (dispatch's ``TicketAssigned`` until the order
  is handed back or resolved) files photos of the work on it, and a wish's claimer its photo, of the type kept for
  that subject's evidence (``EVIDENCE_TYPES``); anchored on the subject's path, so the staff who see the ticket or
  wish read it, as does the uploader (they created it); about nobody. Anyone else: a 404, as a ticket not there.
- ``about_user_id`` for staff and hotline: the member's account when the subject is a member the directory knows
  with an account, and the type's visibility lets the person it is about read it.
- New versions: staff who read the document and may file on its anchor, hotline staff on a ticket's documents,
  and the document's creator.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.access import HOTLINE, REGISTRARS, STAFF
from services.documents.library.models import DISTRICT, Document, SubjectKind
from services.documents.subjects.directory import find
from services.documents.subjects.models import Subject
from services.documents.types.models import DocumentType, Visibility
from services.documents.uploads.schemas import UploadRequest
from shared.auth.principal import Principal
from shared.http.problems import invalid, missing

ABOUT_PEOPLE = (Visibility.SUBJECT, Visibility.PUBLIC)
# the type of a subject's evidence photos (types/catalogue.py); documents tells dispatch when one is stored
EVIDENCE_TYPES: dict[str, str] = {SubjectKind.TICKET: "service_photo", SubjectKind.WISH: "wish_evidence"}


@dataclass(frozen=True, slots=True)
class Anchor:
    anchor_path: str
    subject_path: str | None
    about_user_id: UUID | None


def _is_district_admin(principal: Principal) -> bool:
    return principal.has_role(*REGISTRARS) and principal.scope is None


async def anchor_for(session: AsyncSession, principal: Principal, body: UploadRequest, kind: DocumentType) -> Anchor:
    """Where ``body`` files its document, or the 4xx saying why it may not."""
    if (body.subject_kind is None) != (body.subject_id is None):
        field = "body.subjectId" if body.subject_id is None else "body.subjectKind"
        raise invalid(field, "give a subject's kind and id together")
    if body.subject_kind is not None and body.subject_kind not in list(SubjectKind):
        raise invalid("body.subjectKind", f"one of: {', '.join(SubjectKind)}")
    subject = None
    if body.subject_kind is not None and body.subject_id is not None:
        subject = await find(session, body.subject_kind, body.subject_id)
    if principal.has_role(*STAFF):
        user_id = subject.user_id if subject else None
        return _for_staff(principal, body, kind, subject.path if subject else None, user_id)
    if principal.has_role(*HOTLINE):
        if body.subject_kind != SubjectKind.TICKET:
            raise invalid("body.subjectKind", "the hotline files documents about tickets: give the ticket")
        if subject is None:
            raise missing("ticket")
        return Anchor(subject.path, subject.path, None)
    if body.subject_kind is not None and EVIDENCE_TYPES.get(body.subject_kind) == kind.code:
        return _evidence(principal, body, subject)
    # members, volunteers, residents: about themselves only
    if kind.visibility not in ABOUT_PEOPLE:
        raise invalid("body.typeCode", "not a type of document about a person: staff file it")
    if body.unit_path is not None:
        raise missing("unit")
    if body.subject_kind is None:
        return Anchor(DISTRICT, None, principal.user_id)
    if body.subject_kind != SubjectKind.MEMBER or subject is None or subject.user_id != principal.user_id:
        raise missing(body.subject_kind)
    return Anchor(subject.path, subject.path, principal.user_id)


def _evidence(principal: Principal, body: UploadRequest, subject: Subject | None) -> Anchor:
    """A photo of a ticket's work by the provider holding it, or of a wish by its claimer."""
    if body.unit_path is not None:
        raise missing("unit")
    if subject is None or subject.user_id is None or subject.user_id != principal.user_id:
        raise missing(body.subject_kind or "subject")
    return Anchor(subject.path, subject.path, None)


def _for_staff(
    principal: Principal, body: UploadRequest, kind: DocumentType, subject_path: str | None, user_id: UUID | None
) -> Anchor:
    if body.unit_path is not None and not principal.may_see_path(body.unit_path):
        raise missing("unit")
    if body.subject_kind is not None:
        if subject_path is None or not principal.may_see_path(subject_path):
            raise missing(body.subject_kind)
        about = user_id if body.subject_kind == SubjectKind.MEMBER and kind.visibility in ABOUT_PEOPLE else None
        return Anchor(subject_path, subject_path, about)
    if body.unit_path is not None:
        return Anchor(body.unit_path, None, None)
    if not _is_district_admin(principal):
        raise invalid("body.unitPath", "give the unit or the subject the document is filed on")
    return Anchor(DISTRICT, None, None)


def may_add_version(principal: Principal, document: Document) -> bool:
    """Whether the caller, who reads ``document``, may upload a new version of it."""
    if document.created_by is not None and document.created_by == principal.user_id:
        return True
    if principal.has_role(*STAFF):
        if document.anchor_path == DISTRICT:
            return _is_district_admin(principal)
        return principal.may_see_path(document.anchor_path)
    return principal.has_role(*HOTLINE) and document.subject_kind == SubjectKind.TICKET


def is_evidence(document: Document) -> bool:
    """A photo filed as a ticket's or wish's evidence: dispatch hears of it when a version is stored."""
    kind = document.subject_kind
    return kind is not None and EVIDENCE_TYPES.get(kind) == document.type_code
