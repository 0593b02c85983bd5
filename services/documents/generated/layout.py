"""A template's layout and its ``{placeholders}``: which facts each template may print, checking a district's edit
before anything is stored, and filling the text in from a document's facts when it is rendered."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated

import msgspec

from shared.http.problems import FieldErrors

Text = Annotated[str, msgspec.Meta(max_length=1000)]
Line = Annotated[str, msgspec.Meta(max_length=200)]
PLACEHOLDER = re.compile(r"\{([A-Za-z][A-Za-z0-9]*)\}")
MISSING = "—"  # printed where an event did not carry the fact (an older producer)


class Row(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    label: Line
    value: Line


class Layout(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    """Top to bottom: heading, subheading, paragraphs, a two-column table of fields, the signature/seal line and
    the date line."""

    heading: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    subheading: Line = ""
    paragraphs: Annotated[list[Text], msgspec.Meta(max_length=20)] = []
    table: Annotated[list[Row], msgspec.Meta(max_length=30)] = []
    signature: Line = ""
    date_line: Line = ""


# The facts each template is rendered from (its placeholders), as the actors fill them.
FACTS: dict[str, tuple[str, ...]] = {
    "referral_notice": (
        "number",
        "ticketNumber",
        "ticketTitle",
        "meeting",
        "responsibleUnit",
        "responsiblePerson",
        "dueOn",
        "issuedOn",
    ),
    "award_certificate": ("titleName", "recipient", "period", "awardedOn"),
    "monthly_report": (
        "member",
        "month",
        "services",
        "wishes",
        "serviceHours",
        "sessions",
        "creditHours",
        "commitmentsPublished",
        "commitmentsEvaluated",
        "commitmentScore",
        "points",
        "generatedOn",
    ),
}


def check_text(errors: FieldErrors, field: str, text: str, allowed: tuple[str, ...]) -> None:
    """Add an error naming ``field`` for an unknown placeholder or a brace that opens none."""
    unknown = [name for name in PLACEHOLDER.findall(text) if name not in allowed]
    if unknown:
        errors.add(field, f"unknown placeholder {{{unknown[0]}}}; one of: {', '.join(allowed)}")
    elif "{" in PLACEHOLDER.sub("", text) or "}" in PLACEHOLDER.sub("", text):
        errors.add(field, "a brace that is not part of a {placeholder}")


def check_layout(errors: FieldErrors, layout: Layout, allowed: tuple[str, ...], at: str = "body.layout") -> None:
    check_text(errors, f"{at}.heading", layout.heading, allowed)
    check_text(errors, f"{at}.subheading", layout.subheading, allowed)
    for index, paragraph in enumerate(layout.paragraphs):
        check_text(errors, f"{at}.paragraphs[{index}]", paragraph, allowed)
    for index, row in enumerate(layout.table):
        check_text(errors, f"{at}.table[{index}].label", row.label, allowed)
        check_text(errors, f"{at}.table[{index}].value", row.value, allowed)
    check_text(errors, f"{at}.signature", layout.signature, allowed)
    check_text(errors, f"{at}.dateLine", layout.date_line, allowed)


def fill(text: str, facts: Mapping[str, str]) -> str:
    return PLACEHOLDER.sub(lambda match: facts.get(match[1]) or MISSING, text)
