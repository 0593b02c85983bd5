"""The library's codes in words, who opens its pages, sizes as people read them, and the documents API's refusals
in the catalogue's words beside the field they concern."""

from __future__ import annotations

from typing import Any

from services.console.api import ApiError
from services.console.i18n import N_

STAFF = ("district_admin", "street_admin", "community_cadre", "grid_leader")
HOTLINE = ("hotline_operator", "hotline_supervisor")
SELF = ("member", "volunteer", "resident")  # they read and add documents about themselves
READERS = (*STAFF, *HOTLINE, *SELF)

SUBJECT_KINDS = {
    "ticket": N_("Ticket"),
    "referral": N_("Referral"),
    "member": N_("Member"),
    "household": N_("Household"),
    "session": N_("Training session"),
    "wish": N_("Micro-wish"),
    "commitment": N_("Commitment"),
    "award": N_("Award"),
    "monthly_report": N_("Monthly report"),
}
STATES = {"pending": N_("Awaiting its file"), "active": N_("In use"), "deleted": N_("Deleted")}
FILE_KINDS = {
    "application/pdf": "PDF",
    "image/jpeg": N_("JPEG image"),
    "image/png": N_("PNG image"),
    "image/gif": N_("GIF image"),
    "image/webp": N_("WebP image"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": N_("Word document"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": N_("Excel workbook"),
}
PREVIEW_IMAGES = ("image/jpeg", "image/png", "image/gif", "image/webp")

# The upload form's fields, and where each field the API names is shown (the file's name, type and size: the file)
BESIDE = {
    "typeCode": "typeCode",
    "title": "title",
    "description": "description",
    "unitPath": "unit",
    "unitId": "unit",
    "unitName": "unit",
    "subjectKind": "unit",
    "subjectId": "unit",
    "filename": "file",
    "contentType": "file",
    "sizeBytes": "file",
    "changeNote": "changeNote",
    "body": "file",
}
BY_FIELD = {
    "typeCode": N_("Choose a type of document that is uploaded by hand."),
    "title": N_("Enter a title of up to 200 characters."),
    "description": N_("Write a description of up to 4000 characters."),
    "unit": N_("Choose a unit under your responsibility."),
    "changeNote": N_("Say what changed, in up to 500 characters."),
    "file": N_("Choose a file."),
}
EMPTY_FILE = N_("The file is empty.")
TOO_BIG = N_("%(type)s takes files of at most %(size)s.")
WRONG_KIND = N_("%(type)s takes: %(kinds)s.")
NOT_WHAT_SAID = N_("The file's content is not the kind of file its name says: choose the right file.")
SIZE_CHANGED = N_("The file changed while it was sent: choose it again.")
NOT_ARRIVED = N_("The file did not arrive: try again.")
TOO_LARGE_TO_SEND = N_("The file is too large to upload.")
UPLOAD_REFUSED = N_("This upload was refused: choose the file again.")
NO_VERSIONS = N_("You may not add versions to this document.")
# 409s of a new version by what the API's words contain
CONFLICTS = (
    ("was deleted", N_("The document was deleted: it takes no new versions.")),
    ("not confirmed yet", N_("The document's first file has not arrived yet.")),
    ("legal hold", N_("The document is under legal hold: it takes no new versions until the hold is lifted.")),
    ("immutable", N_("Documents kept this long are immutable: they take no new versions.")),
    ("acceptance dossier", N_("The document is in a submitted acceptance dossier: it takes no new versions.")),
    ("has not arrived", NOT_ARRIVED),
    ("was refused", UPLOAD_REFUSED),
)


def human_size(size: int | None) -> str:
    """1.2 MB, 350 KB, 800 B (binary units, as file managers show them)."""
    if size is None:
        return ""
    for unit, step in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= step:
            return f"{size / step:.1f} {unit}".replace(".0 ", " ")
    return f"{size} B"


def kinds_of(content_types: list[str], gettext: Any) -> str:
    return "、".join(gettext(FILE_KINDS[c]) if c in FILE_KINDS else c for c in content_types)


def refusal(error: ApiError, kind: dict[str, Any] | None, gettext: Any) -> tuple[dict[str, str], str | None]:
    """The documents API's refusal as messages by form field (translated) and one above the form."""
    if error.status == 413:
        return {"file": gettext(TOO_LARGE_TO_SEND)}, None
    if error.status == 403:
        return {}, gettext(NO_VERSIONS)
    if error.status == 404:  # a unit or subject outside the caller's scope, or an upload not theirs
        return {"unit": gettext(BY_FIELD["unit"])}, None
    if error.status == 409:
        said = next((message for words, message in CONFLICTS if words in error.detail), None)
        return {}, gettext(said) if said else error.detail
    fields: dict[str, str] = {}
    for name, message in error.fields.items():
        beside = BESIDE.get(name, "file")
        fields.setdefault(beside, _said(name, message, kind, gettext))
    return fields, None if fields else error.detail


def _said(name: str, message: str, kind: dict[str, Any] | None, gettext: Any) -> str:
    if name == "sizeBytes" and message.startswith("an empty"):
        return str(gettext(EMPTY_FILE))
    if name == "sizeBytes" and kind is not None:
        return str(gettext(TOO_BIG) % {"type": kind["name"], "size": human_size(kind["maxBytes"])})
    if name == "contentType" and kind is not None:
        return str(gettext(WRONG_KIND) % {"type": kind["name"], "kinds": kinds_of(kind["contentTypes"], gettext)})
    if name == "body":  # the stored bytes were refused on confirmation
        if "takes files of at most" in message and kind is not None:
            return str(gettext(TOO_BIG) % {"type": kind["name"], "size": human_size(kind["maxBytes"])})
        if "declared" in message:
            return str(gettext(SIZE_CHANGED))
        return str(gettext(NOT_WHAT_SAID))
    return str(gettext(BY_FIELD.get(BESIDE.get(name, "file"), BY_FIELD["file"])))
