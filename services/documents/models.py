"""Every table of the documents service, for alembic and the tests; each model lives beside its domain."""

from services.documents.boards.models import Board, Publication, PublicationLog, PublicDistrict
from services.documents.database import Base
from services.documents.dossiers.models import Dossier, DossierItem, DossierNote
from services.documents.generated.models import DocumentTemplate
from services.documents.library.models import Document, DocumentState, DocumentVersion, SubjectKind, VersionState
from services.documents.regulations.models import Regulation
from services.documents.retention.models import DocumentDeletion, LegalHold
from services.documents.search.models import DocumentSearch
from services.documents.subjects.models import Subject
from services.documents.types.models import DocumentType, Origin, RetentionClass, Visibility

__all__ = [
    "Base",
    "Board",
    "Document",
    "DocumentDeletion",
    "DocumentSearch",
    "DocumentState",
    "DocumentTemplate",
    "DocumentType",
    "DocumentVersion",
    "Dossier",
    "DossierItem",
    "DossierNote",
    "LegalHold",
    "Origin",
    "PublicDistrict",
    "Publication",
    "PublicationLog",
    "Regulation",
    "RetentionClass",
    "Subject",
    "SubjectKind",
    "VersionState",
    "Visibility",
]
