"""The household sheet's form: rows of members, income sources and assistance as dispatch's body, and dispatch's
refusals (``body.members[1].birthYear``) beside the row's own input (``member-1-birthYear``)."""

from __future__ import annotations

import re
from typing import Any

from services.console.api import ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors
from services.console.i18n import N_

MEMBER_ROWS = 6
INCOME_ROWS = 3
ASSISTANCE_ROWS = 3
MEMBER_FIELDS = ("name", "relation", "birthYear", "education", "politicalStatus", "health")
ROWS = {"members": "member", "incomeSources": "income", "assistance": "assist"}
_ROW_FIELD = re.compile(r"^body\.(members|incomeSources|assistance)\[(\d+)\]\.(\w+)$")
BY_FIELD = {
    "economicType": N_("Choose the household's economic type."),
    "name": N_("Enter the member's name (a member already on the sheet keeps theirs when left empty)."),
    "relation": N_("Enter the relation to the head of household (up to 20 characters)."),
    "birthYear": N_("Enter a year of birth such as 1962."),
    "kind": N_("Choose where the income comes from."),
    "what": N_("Enter what the assistance was."),
    "on": N_("Enter a date that is not in the future."),
    "note": N_("Enter up to 500 characters."),
}


def _text(form: dict[str, str], name: str) -> str | None:
    value = form.get(name, "").strip()
    return value or None


def _year(text: str | None) -> Any:
    """A year as a number; anything else as typed, for dispatch to refuse by name."""
    return int(text) if text and text.isdigit() else text


Positions = dict[str, list[int]]  # the form row of each row of the body, by the body's list


def body_of(form: dict[str, str]) -> tuple[dict[str, Any], Positions]:
    """The sheet as dispatch takes it (empty rows left out), and which form row each body row came from."""
    members: list[dict[str, Any]] = []
    positions: Positions = {"members": [], "incomeSources": [], "assistance": []}
    for row in range(MEMBER_ROWS):
        values = {f: _text(form, f"member-{row}-{f}") for f in MEMBER_FIELDS}
        member_id = _text(form, f"member-{row}-id")
        if not any(values.values()):
            continue  # a member left entirely empty is no longer on the sheet
        member: dict[str, Any] = {"relation": values["relation"] or "", "birthYear": _year(values["birthYear"])}
        for f in ("name", "education", "politicalStatus", "health"):
            if values[f] is not None:
                member[f] = values[f]
        if member_id:
            member["id"] = member_id
        members.append(member)
        positions["members"].append(row)
    income = []
    for row in range(INCOME_ROWS):
        if form.get(f"income-{row}-kind"):
            income.append({"kind": form[f"income-{row}-kind"], "note": form.get(f"income-{row}-note", "").strip()})
            positions["incomeSources"].append(row)
    assistance = []
    for row in range(ASSISTANCE_ROWS):
        what = _text(form, f"assist-{row}-what")
        if what is not None:
            source = form.get(f"assist-{row}-source", "").strip()
            assistance.append({"what": what, "source": source, "on": _text(form, f"assist-{row}-on")})
            positions["assistance"].append(row)
    body = {
        "economicType": form.get("economicType", ""),
        "members": members,
        "incomeSources": income,
        "assistance": assistance,
        "note": _text(form, "note"),
    }
    return body, positions


def draft_of(archive: dict[str, Any] | None) -> dict[str, str]:
    """The form's values from the archive as it stands (names are masked: left empty, the stored name is kept)."""
    if archive is None:
        return {}
    draft = {"economicType": archive["economicType"]}
    for row, member in enumerate(archive["members"][:MEMBER_ROWS]):
        draft[f"member-{row}-id"] = member["id"]
        draft[f"member-{row}-masked"] = member["name"]
        for f in MEMBER_FIELDS[1:]:
            value = member.get(f)
            draft[f"member-{row}-{f}"] = "" if value is None else str(value)
    for row, source in enumerate(archive["incomeSources"][:INCOME_ROWS]):
        draft[f"income-{row}-kind"], draft[f"income-{row}-note"] = source["kind"], source["note"]
    for row, record in enumerate(archive["assistance"][:ASSISTANCE_ROWS]):
        draft[f"assist-{row}-what"], draft[f"assist-{row}-source"] = record["what"], record["source"]
        draft[f"assist-{row}-on"] = record.get("on") or ""
    return draft


def refused(error: ApiError, positions: Positions) -> FormErrors:
    """Each refused field beside its input: a row's field beside that row's input, the sheet's own by name."""
    said = FormErrors()
    for item in (error.body or {}).get("errors", []):
        field = str(item.get("field", ""))
        match = _ROW_FIELD.match(field)
        if match:
            kind, index, name = match.group(1), int(match.group(2)), match.group(3)
            rows = positions.get(kind, [])
            row = rows[index] if index < len(rows) else index
            said.fields[f"{ROWS[kind]}-{row}-{name}"] = BY_FIELD.get(name, NOT_ACCEPTED)
        else:
            name = field.rsplit(".", 1)[-1]
            said.fields[name] = BY_FIELD.get(name, NOT_ACCEPTED)
    if not said.fields:
        said.form = NOT_ACCEPTED
    return said
