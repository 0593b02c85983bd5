"""红旗社区覆盖率 (``/console/structure/red-flag``): per year, the communities of the user's scope holding the Red
Flag Community title as a share against the district's target; the district admin edits the targets."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.people.units import node_or_none
from services.console.session import SignedIn
from services.console.structure.words import EDITORS
from services.console.web import AnyRequest, NavEntry, page, signed_in

HOME = "/console/structure/red-flag"
NAV = NavEntry(HOME, N_("Red Flag coverage"), EDITORS)
API = "/api/orgtree/red-flag"
TARGET_ROWS = 6  # the district's targets and blank rows to add years
BAD_YEAR = N_("Enter a year from 2000 to 2100, each year once.")
BAD_PERCENT = N_("Enter a whole percentage from 0 to 100.")
Unit = Annotated[str, QueryParameter(max_length=40)]


async def coverage_page(
    request: AnyRequest, api: Api, status: int, *, unit: dict[str, Any] | None, errors: FormErrors, **context: Any
) -> Template:
    report, targets = await asyncio.gather(
        api.get(f"{API}/coverage", within=unit["id"] if unit else None), api.get(f"{API}/targets")
    )
    rows = [*targets["targets"], *({"year": "", "percent": ""} for _ in range(TARGET_ROWS - len(targets["targets"])))]
    return page(
        request,
        "structure/coverage.html",
        status,
        report=report,
        targets=targets,
        rows=rows,
        unit=unit,
        errors=errors,
        **context,
    )


class CoverageController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*EDITORS)

    @get("/")
    async def report(
        self, request: AnyRequest, api: NamedDependency[Api], user: NamedDependency[SignedIn], unit: Unit = ""
    ) -> Template:
        chosen = await node_or_none(api, unit)
        admin = user.has_role("district_admin")
        return await coverage_page(request, api, 200, unit=chosen, errors=FormErrors(), district_admin=admin, typed={})

    @post("/targets", guards=signed_in("district_admin"))
    async def set_targets(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        """Each row's year and percentage as typed; a blank row is left out, a wrong one is said beside it."""
        typed = await read_form(request)
        errors = FormErrors()
        body: list[dict[str, int]] = []
        years: set[str] = set()
        for i in range(TARGET_ROWS):
            year, percent = typed.get(f"year-{i}", "").strip(), typed.get(f"percent-{i}", "").strip()
            if not year and not percent:
                continue
            if not (year.isdigit() and 2000 <= int(year) <= 2100) or year in years:
                errors.fields[f"year-{i}"] = BAD_YEAR
            if not (percent.isdigit() and int(percent) <= 100):
                errors.fields[f"percent-{i}"] = BAD_PERCENT
            years.add(year)
            if f"year-{i}" not in errors.fields and f"percent-{i}" not in errors.fields:
                body.append({"year": int(year), "percent": int(percent)})
        if not body and not errors:
            errors = FormErrors(form=BAD_YEAR)
        if not errors:
            try:
                await api.call("PUT", f"{API}/targets", json={"targets": body})
            except ApiError as refused:
                if refused.status != 422:
                    raise
                errors = FormErrors(form=BAD_YEAR)
        if errors:
            return await coverage_page(request, api, 422, unit=None, errors=errors, district_admin=True, typed=typed)
        return Redirect(HOME, status_code=303)
