"""The forms a volunteer fills in on the phone: a task's completion (photo, note, service minutes), a declined
offer's reason and a fulfilled wish. Each is checked here first, so a wrong field gets its message beside it
and nothing reaches the API; what the API still refuses is shown the same way (``FormErrors.from_api``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.datastructures import UploadFile

from services.console.forms import FormErrors
from services.console.i18n import N_

MAX_MINUTES = 24 * 60  # the API's bound on one order's service time
PHOTO_MAX_BYTES = 10 * 1024 * 1024  # as the wishes' evidence photos
_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")  # JPEG, PNG: what the platform stores as evidence

DECLINE_REASONS = {
    "far": N_("I am too far away"),
    "busy": N_("I am busy at that time"),
    "skill": N_("It needs a skill I do not have"),
}
# The API's field messages (closure/schemas.py, wishes) and the catalogue ids shown for them.
KNOWN = {
    "Expected `str` of length >= 2": N_("Write at least two characters about what was done."),
    "Expected `int` >= 0": N_("Enter the minutes of service as a whole number from 1 to 1440."),
    "Expected `int` <= 1440": N_("Enter the minutes of service as a whole number from 1 to 1440."),
}
PHOTO_NOT_IMAGE = N_("The photo must be a JPEG or PNG picture.")
PHOTO_TOO_LARGE = N_("The photo is larger than 10 MB.")
NOT_NOW = N_("This cannot be done on this order now.")


@dataclass
class Photo:
    content: bytes
    content_type: str


@dataclass
class Completion:
    note: str
    minutes: int
    photo: Photo | None


async def read_photo(upload: Any, errors: FormErrors, field: str = "photo") -> Photo | None:
    """The uploaded picture (None when no file was chosen); a message beside ``field`` when it is not one."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    content = await upload.read(PHOTO_MAX_BYTES + 1)
    if not content:
        return None
    if len(content) > PHOTO_MAX_BYTES:
        errors.fields[field] = PHOTO_TOO_LARGE
        return None
    if not content.startswith(_SIGNATURES):  # the bytes say what it is, not the browser's claim
        errors.fields[field] = PHOTO_NOT_IMAGE
        return None
    kind = "image/png" if content.startswith(_SIGNATURES[1]) else "image/jpeg"
    return Photo(content, kind)


def read_minutes(raw: str, errors: FormErrors) -> int:
    text = raw.strip()
    if not text:
        errors.fields["serviceMinutes"] = N_("Enter how many minutes the service took.")
        return 0
    if not text.isdigit() or not 1 <= int(text) <= MAX_MINUTES:
        errors.fields["serviceMinutes"] = N_("Enter the minutes of service as a whole number from 1 to 1440.")
        return 0
    return int(text)


async def read_completion(form: Any) -> tuple[Completion, FormErrors]:
    errors = FormErrors()
    note = str(form.get("note") or "").strip()
    if len(note) < 2:
        errors.fields["note"] = N_("Write at least two characters about what was done.")
    minutes = read_minutes(str(form.get("serviceMinutes") or ""), errors)
    photo = await read_photo(form.get("photo"), errors)
    return Completion(note, minutes, photo), errors


def read_decline(form: dict[str, str]) -> tuple[str, FormErrors]:
    """The reason as the API records it: the chosen one's words, or the volunteer's own."""
    errors = FormErrors()
    choice = form.get("reason", "")
    other = form.get("other", "").strip()
    if choice in DECLINE_REASONS:
        return DECLINE_REASONS[choice], errors
    if choice == "other" and len(other) >= 2:
        return other, errors
    if choice == "other":
        errors.fields["other"] = N_("Say in a few words why you decline.")
    else:
        errors.fields["reason"] = N_("Choose why you decline.")
    return "", errors
