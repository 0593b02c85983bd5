"""Who opens the archive, and the documents service's refusals (retention/services.py) in the catalogue's words.

A deletion refused names every rule in its way (``the document cannot be deleted: immutable until 2056-12-06;
under legal hold since 2026-12-06 by 王芳``): each one becomes a sentence, with its date or name filled in."""

from __future__ import annotations

import re

from services.console.api import ApiError
from services.console.forms import FormErrors
from services.console.i18n import N_

API = "/api/documents"
STAFF = ("district_admin", "street_admin", "community_cadre", "grid_leader")
REGISTRARS = ("district_admin",)

Said = tuple[str, dict[str, str]]  # a catalogue id and what fills it
Rules = tuple[tuple[re.Pattern[str], str], ...]  # how an API's detail starts -> the catalogue id it is said with

CANNOT_DELETE = "the document cannot be deleted: "
RULES: Rules = (
    (re.compile(r"^its upload is not confirmed yet$"), N_("Its upload has not been confirmed yet.")),
    (re.compile(r"^immutable until (?P<day>\S+)$"), N_("It is immutable: it must be kept until %(day)s.")),
    (re.compile(r"^immutable for good"), N_("It is immutable and kept permanently.")),
    (
        re.compile(r"^(?:under|it is under) legal hold since (?P<day>\S+) by (?P<name>.+)$"),
        N_("It has been under legal hold since %(day)s (placed by %(name)s)."),
    ),
    (re.compile(r"^in a submitted acceptance dossier$"), N_("It is in a submitted acceptance dossier.")),
)
OTHERS: Rules = (
    (re.compile(r"^the document was deleted on (?P<day>\S+)$"), N_("The document was deleted on %(day)s.")),
    (
        re.compile(r"^the document is immutable: "),
        N_("The document is immutable: its retention class cannot change."),
    ),
    (
        re.compile(r"^the document's retention cannot change: it is (?P<rest>.+)$"),
        N_("Its retention cannot change while it is under legal hold."),
    ),
    (re.compile(r"^the document is already under legal hold"), N_("The document is already under legal hold.")),
    (re.compile(r"^the document is not under legal hold$"), N_("The document is not under legal hold.")),
    (re.compile(r"^you may not "), N_("You may not manage the documents of this unit.")),
)
NOT_ACCEPTED = N_("This value is not accepted.")
BY_FIELD = {
    "reason": N_("Say why, in up to 500 characters."),
    "retentionClass": N_("Choose one of the listed retention classes."),
}


def _match(rules: Rules, text: str) -> Said | None:
    for pattern, message in rules:
        found = pattern.match(text)
        if found:
            return message, {k: v for k, v in found.groupdict().items() if v is not None}
    return None


def refusals(error: ApiError) -> list[Said]:
    """What the user reads above the form for a 403 or 409: one sentence per rule that stands in the way."""
    detail = error.detail
    if detail.startswith(CANNOT_DELETE):
        said = [_match(RULES, part.strip()) or (NOT_ACCEPTED, {}) for part in detail[len(CANNOT_DELETE) :].split(";")]
        return [(N_("The document cannot be deleted:"), {}), *said]
    return [_match(OTHERS, detail) or (NOT_ACCEPTED, {})]


def refused(
    error: ApiError, rules: Rules, by_field: dict[str, str], renamed: dict[str, str] | None = None
) -> FormErrors:
    """A 422 beside the fields it names (as the form names them), else a 403/409 above the form in words."""
    if error.fields:
        names = {(renamed or {}).get(name, name) for name in error.fields}
        return FormErrors(fields={name: by_field.get(name, NOT_ACCEPTED) for name in names})
    said = _match(rules, error.detail)
    return FormErrors(form=said[0] if said else NOT_ACCEPTED)
