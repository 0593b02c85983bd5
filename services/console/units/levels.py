"""层级设置 (``/console/units/levels``): each tree's level schema (what may hang under what, which levels are grids,
villages or hold membership) for every staff member to read; the district admin edits it row by row, adds a
level, drops one no unit uses, or starts again from a built-in template. orgtree refuses a schema that drops a
level still in use, which is said in words."""

from __future__ import annotations

import re
from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.session import SignedIn
from services.console.units.tree import LEVELS, SCHEMA_EDITORS, STAFF, TREES, forget
from services.console.units.words import BY_FIELD, said
from services.console.web import AnyRequest, page, signed_in

HOME = "/console/units/levels"
Tree = Annotated[str, QueryParameter(pattern="^(administrative|party)$")]
TreePath = FromPath[Annotated[str, QueryParameter(pattern="^(administrative|party)$")]]
TEMPLATES = {
    "administrative": {
        "rural": N_("Rural (street, township, town; village, community; grid)"),
        "urban": N_("Urban (street; community; building, mall)"),
    },
    "party": {"party": N_("Party organisation (built in)")},
}
KINDS = {"isGrid": N_("Grid"), "isVillage": N_("Village or community"), "holdsMembers": N_("Holds members")}
CODE = re.compile(r"^[a-z][a-z_]*$")
BAD_CODE = N_("Enter a code of lower-case Latin letters and underscores.")
BAD_LABEL = N_("Enter a name of up to 40 characters.")
MAX_ROWS = 60


def schema_rows(form: dict[str, str], errors: FormErrors) -> list[dict[str, Any]]:
    """The levels as typed, row by row (``code-3``, ``label-3``, ...); a row with neither code nor name, or ticked
    to be dropped, is left out; a message beside each field that cannot be sent."""
    rows = []
    for i in range(MAX_ROWS + 1):
        code, label = form.get(f"code-{i}", "").strip(), form.get(f"label-{i}", "").strip()
        if (not code and not label) or form.get(f"drop-{i}"):
            continue
        if not CODE.match(code) or len(code) > 40:
            errors.fields[f"code-{i}"] = BAD_CODE
        if not label or len(label) > 40:
            errors.fields[f"label-{i}"] = BAD_LABEL
        parents = [p.strip() for p in re.split(r"[,，\s]+", form.get(f"parents-{i}", "")) if p.strip()]
        row: dict[str, Any] = {"code": code, "label": label, "parents": parents}
        row.update({kind: bool(form.get(f"{kind}-{i}")) for kind in KINDS})
        rows.append(row)
    return rows


class LevelsController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*STAFF)

    async def _levels(
        self,
        request: AnyRequest,
        api: Api,
        user: SignedIn,
        tree: str,
        *,
        typed: dict[str, str] | None = None,
        errors: FormErrors | None = None,
        status: int = 200,
        refusal: tuple[str, dict[str, str]] | None = None,
    ) -> Template:
        schema = await api.get(f"{LEVELS}/{tree}")
        labels = {level["code"]: level["label"] for level in schema["levels"]}
        draft = typed or {}
        if not typed:
            for i, level in enumerate(schema["levels"]):
                draft |= {
                    f"code-{i}": level["code"],
                    f"label-{i}": level["label"],
                    f"parents-{i}": ", ".join(level["parents"]),
                }
                draft |= {f"{kind}-{i}": "on" for kind in KINDS if level[kind]}
        return page(
            request,
            "units/levels.html",
            status,
            tree=tree,
            tree_names=TREES,
            levels=schema["levels"],
            labels=labels,
            kinds=KINDS,
            templates=TEMPLATES[tree],
            rows=range(len(schema["levels"]) + 1),  # the levels and one blank row for a new one
            draft=draft,
            may_edit=user.has_role(*SCHEMA_EDITORS),
            errors=errors or FormErrors(),
            refusal=refusal,
            saved=request.query_params.get("saved") == "1",
        )

    @get("/")
    async def levels(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        user: NamedDependency[SignedIn],
        tree: Tree = "administrative",
    ) -> Template:
        return await self._levels(request, api, user, tree)

    async def _replace(
        self, request: AnyRequest, api: Api, user: SignedIn, tree: str, *, body: dict[str, Any], form: dict[str, str]
    ) -> Template | Redirect:
        try:
            await api.call("PUT", f"{LEVELS}/{tree}", json=body)
            forget(api)
        except ApiError as error:
            if error.status not in (409, 422):
                raise
            if "template" in error.fields:
                template = FormErrors(fields={"template": BY_FIELD["template"]})
                return await self._levels(request, api, user, tree, typed=form, errors=template, status=422)
            return await self._levels(request, api, user, tree, typed=form, status=error.status, refusal=said(error))
        return Redirect(f"{HOME}?tree={tree}&saved=1", status_code=303)

    @post("/{tree:str}", guards=signed_in(*SCHEMA_EDITORS))
    async def replace(
        self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn], tree: TreePath
    ) -> Template | Redirect:
        form = await read_form(request)
        errors = FormErrors()
        rows = schema_rows(form, errors)
        if errors:
            return await self._levels(request, api, user, tree, typed=form, errors=errors, status=422)
        return await self._replace(request, api, user, tree, body={"levels": rows}, form=form)

    @post("/{tree:str}/template", guards=signed_in(*SCHEMA_EDITORS))
    async def from_template(
        self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn], tree: TreePath
    ) -> Template | Redirect:
        form = await read_form(request)
        return await self._replace(request, api, user, tree, body={"template": form.get("template", "")}, form={})
