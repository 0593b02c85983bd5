"""评定标准 (``/console/ratings/templates``, district administrators): the district's criteria templates, editing
one (its criteria rows of code, name and maximum score; the thresholds of stars 2 to 5; the note of each level)
and the days a public notice runs. Training checks; its refusal is said beside the row and field it names."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors, read_form
from services.console.i18n import N_
from services.console.ratings.pages import HOME, shown
from services.console.training.session_form import number
from services.console.web import AnyRequest, signed_in

API = "/api/training"
TEMPLATES = f"{HOME}/templates"
SPARE_ROWS = 2  # empty criterion rows under the template's own, for adding criteria
MESSAGES = {
    "name": N_("Enter a name of up to 100 characters."),
    "code": N_("A code is lower-case letters, digits and _, starting with a letter, used once."),
    "critname": N_("Enter the criterion's name, up to 100 characters."),
    "max": N_("Enter a maximum score above 0, up to 1000."),
    "levels": N_("Enter four rising thresholds out of 100, such as 60, 70, 80, 90."),
    "notes": N_("Each level's note is at most 500 characters."),
    "criteria": N_("Keep at least one criterion, and at most 30."),
    "noticeDays": N_("Enter a number of days from 1 to 60."),
}
ROW_FIELD = re.compile(r"criteria\[(\d+)\]\.(code|name|maxScore)$")
PARTS = {"code": ("code", "code"), "name": ("critname", "critname"), "maxScore": ("max", "max")}


def criteria_of(typed: dict[str, str]) -> tuple[list[dict[str, Any]], list[int]]:
    """The rows typed (a row left blank is dropped) and, for each, the form's row number."""
    rows, numbers = [], []
    for index in range(31):
        code, name, most = (typed.get(f"{p}-{index}", "").strip() for p in ("code", "critname", "max"))
        if code or name or most:
            rows.append({"code": code, "name": name, "maxScore": number(most)})
            numbers.append(index)
    return rows, numbers


def refusal(error: ApiError, numbers: list[int]) -> FormErrors:
    """Training's 422 beside the row and field it names (``body.criteria[1].maxScore``)."""
    fields: dict[str, str] = {}
    for item in error.body.get("errors") or []:
        where = str(item.get("field", "")).removeprefix("body.")
        if found := ROW_FIELD.match(where):
            index = int(found.group(1))
            row = numbers[index] if index < len(numbers) else index
            part, message = PARTS[found.group(2)]
            fields.setdefault(f"{part}-{row}", MESSAGES[message])
        elif where.startswith("levelNotes"):
            fields.setdefault("notes", MESSAGES["notes"])
        elif where.startswith("levels"):
            fields.setdefault("levels", MESSAGES["levels"])
        elif where.startswith("criteria"):
            fields.setdefault("criteria", MESSAGES["criteria"])
        elif where in MESSAGES:
            fields.setdefault(where, MESSAGES[where])
    return FormErrors(fields=fields, form=None if fields else NOT_ACCEPTED)


class TemplatesController(Controller):
    path = TEMPLATES
    include_in_schema = False
    guards = signed_in("district_admin")

    async def _list(
        self, request: AnyRequest, api: Api, typed: str | None, errors: FormErrors, status: int
    ) -> Template:
        templates = await api.get(f"{API}/rating-templates")
        days = typed if typed is not None else str((await api.get(f"{API}/rating-settings"))["noticeDays"])
        saved = request.query_params.get("done")
        return shown(
            request, "ratings/templates.html", status, templates=templates, days=days, errors=errors, saved=saved
        )

    @get("/")
    async def templates(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        return await self._list(request, api, None, FormErrors(), 200)

    @post("/settings")
    async def settings(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        typed = (await read_form(request)).get("noticeDays", "").strip()
        try:
            await api.call(
                "PUT", f"{API}/rating-settings", json={"noticeDays": int(typed) if typed.isdigit() else typed}
            )
        except ApiError as refused:
            if refused.status != 422:
                raise
            return await self._list(request, api, typed, FormErrors(fields={"noticeDays": MESSAGES["noticeDays"]}), 422)
        return Redirect(f"{TEMPLATES}?done=settings", status_code=303)

    async def _edit(
        self, request: AnyRequest, template: dict[str, Any], typed: dict[str, str], errors: FormErrors, status: int
    ) -> Template:
        rows = max((int(k.split("-")[1]) for k in typed if k.startswith("code-")), default=-1) + 1
        return shown(request, "ratings/template.html", status, standard=template, typed=typed, errors=errors, rows=rows)

    @get("/{template_id:uuid}")
    async def edit(self, request: AnyRequest, api: NamedDependency[Api], template_id: FromPath[UUID]) -> Template:
        template = await self._template(api, template_id)
        typed = {"name": template["name"]}
        for index, c in enumerate([*template["criteria"], *({} for _ in range(SPARE_ROWS))]):
            typed |= {f"code-{index}": c.get("code", ""), f"critname-{index}": c.get("name", "")}
            typed[f"max-{index}"] = f"{c['maxScore']:g}" if c else ""
        typed |= {f"level-{n}": f"{v:g}" for n, v in zip(range(2, 6), template["levels"], strict=True)}
        typed |= {f"note-{n}": v for n, v in zip(range(1, 6), template["levelNotes"], strict=True)}
        return await self._edit(request, template, typed, FormErrors(), 200)

    @post("/{template_id:uuid}")
    async def save(
        self, request: AnyRequest, api: NamedDependency[Api], template_id: FromPath[UUID]
    ) -> Template | Redirect:
        """Saved, or the form again with the reasons beside the rows and fields (nothing changed)."""
        template = await self._template(api, template_id)
        typed = await read_form(request)
        criteria, numbers = criteria_of(typed)
        body = {
            "name": typed.get("name", "").strip(),
            "criteria": criteria,
            "levels": [number(typed.get(f"level-{n}", "").strip()) for n in range(2, 6)],
            "levelNotes": [typed.get(f"note-{n}", "").strip() for n in range(1, 6)],
        }
        try:
            await api.call("PATCH", f"{API}/rating-templates/{template_id}", json=body)
        except ApiError as refused:
            if refused.status != 422:
                raise
            return await self._edit(request, template, typed, refusal(refused, numbers), 422)
        return Redirect(f"{TEMPLATES}?done=template", status_code=303)

    @staticmethod
    async def _template(api: Api, template_id: UUID) -> dict[str, Any]:
        """The district's template, or the 404 page (training has no GET of one template: found in the list)."""
        for template in await api.get(f"{API}/rating-templates"):
            if template["id"] == str(template_id):
                found: dict[str, Any] = template
                return found
        raise ApiError(404, "rating template not found")
