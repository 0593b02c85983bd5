"""党员 (``/console/people/members``): the members under the user's scope, paged and filtered (a unit, a name, a
classification, a flag), personal data masked as orgtree returns it; a member's page with the audited reveal, the
membership transfers and their history, and the households served (``redcells/served.py``); the new-member and
edit forms, which check the ID number and phone as the user types (``static/people.js``) and show orgtree's
refusals beside the fields; a party unit's roll as of a date."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.people.forms import REVEAL_FIELDS, given, require, reveal, said
from services.console.people.units import node_or_none, unit_choices, unit_names
from services.console.people.words import (
    CLASSIFICATIONS,
    FLAGS,
    KEEPERS,
    MEMBER_FIELDS,
    TRANSFER_REASONS,
    TRANSFERS,
)
from services.console.redcells.served import served_panel
from services.console.web import AnyRequest, page, signed_in

HOME = "/console/people"
API = "/api/orgtree/members"
PAGE_SIZE = 50
CREATE_FIELDS = ("name", "idCard", "phone", "classification", "branchId", "gridId", "joinedOn")
EDIT_FIELDS = ("name", "idCard", "phone", "classification", "flags")
TRANSFER_FIELDS = ("toBranchId", "transferredOn", "reason", "note")
Text = Annotated[str, QueryParameter(max_length=50)]
Cursor = Annotated[str, QueryParameter(max_length=500)]
Unit = Annotated[str, QueryParameter(max_length=40)]
Day = Annotated[str, QueryParameter(name="asOf", max_length=10)]
DATE_WANTED = N_("Enter a date, such as 2026-01-31.")
PARTY_UNIT_WANTED = N_("Choose a party unit: a roll is a party unit's.")
WORDS = {"classifications": CLASSIFICATIONS, "flags_shown": FLAGS, "reasons": TRANSFER_REASONS}


def shown(request: AnyRequest, template: str, status_code: int = 200, **context: Any) -> Template:
    return page(request, template, status_code, **WORDS, **context)


def parsed_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


async def member_page(
    request: AnyRequest,
    api: Api,
    member_id: UUID,
    *,
    status: int = 200,
    errors: dict[str, FormErrors] | None = None,
    typed: dict[str, str] | None = None,
    revealed: dict[str, str] | None = None,
    q: str = "",
) -> Template:
    member = await api.get(f"{API}/{member_id}")
    transfers = await api.get(f"{API}/{member_id}/transfers")
    ids = {member["branchId"], *(member.get("gridId") or "",)} - {""}
    for step in transfers:
        ids |= {step["fromBranchId"], step["toBranchId"]} - {None}
    names = await unit_names(api, ids)
    typed = typed or {}
    choices = await unit_choices(api, q, typed.get("toBranchId"))
    served = await served_panel(api, member)
    return shown(
        request,
        "people/member.html",
        status,
        m=member,
        names=names,
        transfers=list(reversed(transfers)),  # latest first
        transfer_reasons=TRANSFERS,
        choices=choices,
        q=q,
        typed=typed,
        errors=errors or {},
        revealed=revealed,
        revealable=MEMBER_FIELDS,
        served=served,
    )


class MembersController(Controller):
    path = f"{HOME}/members"
    include_in_schema = False
    guards = signed_in(*KEEPERS)

    @get("/")
    async def members(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        *,
        unit: Unit = "",
        name: Text = "",
        classification: Text = "",
        flag: Text = "",
        after: Cursor = "",
    ) -> Template:
        """A page of members in path order; ``after`` is orgtree's cursor of the page before."""
        chosen = await node_or_none(api, unit)
        filters = {
            "unit": chosen["id"] if chosen else "",
            "name": name.strip(),
            "classification": classification if classification in CLASSIFICATIONS else "",
            "flag": flag if flag in FLAGS else "",
        }
        listed = await api.get(
            API,
            within=filters["unit"] or None,
            name=filters["name"] or None,
            classification=filters["classification"] or None,
            flag=filters["flag"] or None,
            after=after or None,
            limit=PAGE_SIZE,
        )
        return shown(
            request,
            "people/members.html",
            members=listed["items"],
            next_after=listed.get("nextAfter"),
            paged=bool(after),
            filters=filters,
            unit=chosen,
        )

    async def _form(
        self,
        request: AnyRequest,
        api: Api,
        typed: dict[str, str],
        *,
        errors: FormErrors,
        status: int,
        member: dict[str, Any] | None = None,
    ) -> Template:
        choices = await unit_choices(api, typed.get("q", ""), typed.get("branchId"), typed.get("gridId"))
        return shown(
            request, "people/member_form.html", status, typed=typed, errors=errors, choices=choices, member=member
        )

    @get("/new")
    async def new(self, request: AnyRequest, api: NamedDependency[Api], unit: Unit = "", q: Text = "") -> Template:
        """The new-member form; a unit given (the list's) is chosen already when it is a grid or a party unit."""
        typed = {"q": q, "unit": unit, "branchId": unit, "gridId": unit, "classification": "self_managed"}
        return await self._form(request, api, typed, errors=FormErrors(), status=200)

    @post("/")
    async def create(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        """Recorded as typed, or the form again with orgtree's refusals beside the fields (nothing stored)."""
        typed = await read_form(request)
        body = given(typed, CREATE_FIELDS)
        try:
            require(body, ("name", "branchId"))
            made = await api.post(API, body)
        except ApiError as refused:
            errors = said(refused, CREATE_FIELDS, typed, unit_field="branchId")
            return await self._form(request, api, typed, errors=errors, status=409 if refused.status == 409 else 422)
        return Redirect(f"{HOME}/members/{made['id']}", status_code=303)

    @get("/{member_id:uuid}/edit")
    async def edit(self, request: AnyRequest, api: NamedDependency[Api], member_id: FromPath[UUID]) -> Template:
        member = await api.get(f"{API}/{member_id}")
        typed = {"name": member["name"], "classification": member["classification"], "flags": ",".join(member["flags"])}
        return shown(request, "people/member_edit.html", member=member, typed=typed, errors=FormErrors())

    @post("/{member_id:uuid}")
    async def update(
        self, request: AnyRequest, api: NamedDependency[Api], member_id: FromPath[UUID]
    ) -> Template | Redirect:
        """Only what was typed changes: an empty ID number or phone keeps the one on record."""
        member = await api.get(f"{API}/{member_id}")
        form = await request.form()
        typed = {k: str(v) for k, v in form.items() if k not in {"_csrf_token", "flags"}}
        flags = [str(v) for v in form.getall("flags")] if "flags" in form else []
        typed["flags"] = ",".join(flags)
        body: dict[str, Any] = given(typed, ("name", "idCard", "phone", "classification"))
        body["flags"] = flags
        try:
            require(body, ("name",))
            await api.call("PATCH", f"{API}/{member_id}", json=body)
        except ApiError as refused:
            errors = said(refused, EDIT_FIELDS, typed)
            template = "people/member_edit.html"
            return shown(request, template, refused.status, member=member, typed=typed, errors=errors)
        return Redirect(f"{HOME}/members/{member_id}", status_code=303)

    @get("/{member_id:uuid}")
    async def member(
        self, request: AnyRequest, api: NamedDependency[Api], member_id: FromPath[UUID], q: Text = ""
    ) -> Template:
        return await member_page(request, api, member_id, q=q)

    @post("/{member_id:uuid}/reveal", status_code=200)
    async def reveal(self, request: AnyRequest, api: NamedDependency[Api], member_id: FromPath[UUID]) -> Template:
        """The clear value on this page only (not kept), after orgtree has audited the purpose."""
        typed = await read_form(request)
        try:
            revealed = await reveal(api, f"{API}/{member_id}/reveal", typed, MEMBER_FIELDS)
        except ApiError as refused:
            errors = {"reveal": said(refused, REVEAL_FIELDS, typed)}
            return await member_page(request, api, member_id, status=422, errors=errors, typed=typed)
        template = await member_page(request, api, member_id, typed=typed, revealed=revealed)
        template.headers["Cache-Control"] = "no-store"
        return template

    @post("/{member_id:uuid}/transfers")
    async def transfer(
        self, request: AnyRequest, api: NamedDependency[Api], member_id: FromPath[UUID]
    ) -> Template | Redirect:
        typed = await read_form(request)
        body = given(typed, TRANSFER_FIELDS)
        try:
            require(body, ("toBranchId", "transferredOn", "reason"))
            await api.post(f"{API}/{member_id}/transfers", body)
        except ApiError as refused:
            errors = {"transfer": said(refused, TRANSFER_FIELDS, typed, unit_field="toBranchId")}
            status = 409 if refused.status == 409 else 422
            q = typed.get("q", "")
            return await member_page(request, api, member_id, status=status, errors=errors, typed=typed, q=q)
        return Redirect(f"{HOME}/members/{member_id}#transfers", status_code=303)


class RollController(Controller):
    path = f"{HOME}/roll"
    include_in_schema = False
    guards = signed_in(*KEEPERS)

    @get("/")
    async def roll(
        self, request: AnyRequest, api: NamedDependency[Api], unit: Unit = "", as_of: Day = "", q: Text = ""
    ) -> Template:
        """Who belonged to a party unit on a date, members who have since left included (orgtree's transfer
        history); the unit found by name when none is given."""
        errors = FormErrors()
        on = parsed_day(as_of) if as_of else date.today()
        if on is None:
            errors.fields["asOf"] = DATE_WANTED
        chosen = await node_or_none(api, unit)
        choices = await unit_choices(api, q, unit or None)
        entries: list[dict[str, Any]] | None = None
        if chosen is not None and on is not None:
            try:
                entries = await api.get(f"{API}/roll", branchId=chosen["id"], asOf=on.isoformat())
            except ApiError as refused:
                if refused.status != 422:
                    raise
                errors.fields["unit"] = PARTY_UNIT_WANTED
        return shown(
            request,
            "people/roll.html",
            422 if errors else 200,
            unit=chosen,
            as_of=as_of or (on.isoformat() if on else ""),
            q=q,
            choices=choices,
            entries=entries,
            errors=errors,
        )
