"""The people below target per unit (``/console/training/below-target``): the year, the unit (the top of the
organiser's scope or one right under it), the basis (the year's whole target, or the share due by today), each
person with what is missing, and the same list as an .xlsx workbook, streamed from the API with the organiser's
own token (``below-target.xlsx``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Stream, Template

from services.console.api import Api
from services.console.i18n import N_
from services.console.training.labels import ORGANISERS, shown
from services.console.training.records import years
from services.console.training.units import Unit, units
from services.console.web import AnyRequest, signed_in
from shared.clock import now

PAGE = 50
BASES = {"annual": N_("The year's whole target"), "pro_rata": N_("The share due by today")}
SHEET_HEADERS = ("content-type", "content-disposition", "x-row-count")
Year = Annotated[int | None, QueryParameter(ge=2000, le=2100)]
Typed = Annotated[str, QueryParameter(max_length=40)]
Cursor = Annotated[str, QueryParameter(max_length=300)]


@dataclass(frozen=True)
class Choice:
    """The list asked for: a unit of the organiser's (by id; empty: their whole scope), a year, a basis."""

    unit: Unit | None
    year: int
    basis: str

    @classmethod
    def read(cls, choices: dict[str, list[Unit]], unit_id: str, year: int | None, basis: str) -> Choice:
        known = {u.id: u for listed in choices.values() for u in listed}
        return cls(known.get(unit_id), year or now().year, basis if basis in BASES else "annual")

    def params(self) -> dict[str, Any]:
        """The API's query: an unknown or empty unit leaves ``unitPath`` out (the organiser's scope)."""
        return {"unitPath": self.unit.path if self.unit else None, "year": self.year, "basis": self.basis}

    def address(self, path: str, **extra: str) -> str:
        params = {"unit": self.unit.id if self.unit else "", "year": self.year, "basis": self.basis, **extra}
        return f"{path}?{urlencode({k: v for k, v in params.items() if v})}"


class TargetsController(Controller):
    path = "/console/training"
    include_in_schema = False
    guards = signed_in(*ORGANISERS)

    @get("/below-target")
    async def below_target(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        *,
        unit: Typed = "",
        year: Year = None,
        basis: Typed = "annual",
        cursor: Cursor = "",
    ) -> Template:
        choices = await units(api)
        choice = Choice.read(choices, unit, year, basis)
        found = await api.get(
            "/api/training/standing/below-target", **choice.params(), limit=PAGE, cursor=cursor or None
        )
        following = found.get("next")
        return shown(
            request,
            "training/below_target.html",
            choice=choice,
            units=choices,
            years=years(choice.year),
            bases=BASES,
            found=found,
            more=choice.address("/console/training/below-target", cursor=following) if following else "",
            sheet=choice.address("/console/training/below-target.xlsx"),
        )

    @get("/below-target.xlsx")
    async def sheet(
        self, api: NamedDependency[Api], unit: Typed = "", year: Year = None, basis: Typed = "annual"
    ) -> Stream:
        """The API's workbook passed through as it arrives (a district's list may be large): refusals become the
        console's error pages before anything is sent."""
        choice = Choice.read(await units(api), unit, year, basis)
        query = urlencode({k: v for k, v in choice.params().items() if v is not None})
        exits = AsyncExitStack()
        response = await exits.enter_async_context(api.stream(f"/api/training/standing/below-target.xlsx?{query}"))
        headers = {name: response.headers[name] for name in SHEET_HEADERS if name in response.headers}

        async def body() -> AsyncIterator[bytes]:
            async with exits:
                async for chunk in response.aiter_bytes():
                    yield chunk

        return Stream(body(), media_type=headers.pop("content-type", None), headers=headers)
