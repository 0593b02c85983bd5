"""Credit hours against the district's rules (TRN-03): the rules, a person's standing, the below-target list."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote
from uuid import UUID

from litestar import Controller, get, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import Stream

from services.training.access import ATTENDEES, READERS
from services.training.credits.below import BelowTargetService
from services.training.credits.evaluation import Basis
from services.training.credits.schemas import BelowTargetPage, RuleUpdate, RuleView, Standing
from services.training.credits.services import RuleService, rule_view
from services.training.credits.sheets import XLSX_MEDIA_TYPE, below_target_workbook, chunks
from services.training.credits.standing import StandingService
from shared.auth.principal import Role
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant

Year = Annotated[int | None, QueryParameter(ge=2000, le=2100, description="calendar year (default: this year)")]
UnitPath = Annotated[
    str | None,
    QueryParameter(
        name="unitPath",
        max_length=400,
        description="a unit's path in either tree (default: the caller's scope, or the whole district)",
    ),
]
BasisParam = Annotated[
    Basis,
    QueryParameter(description="annual: the year's whole target; pro_rata: the share of credit hours due by today"),
]


class RuleController(Controller):
    path = "/api/training/rules"
    tags = ["Standing"]
    guards = [requires_tenant, requires_role(*READERS, *ATTENDEES)]
    dependencies = {"rules": provide_service(RuleService)}

    @get("/", operation_id="ListCreditRules", summary="The district's credit-hour and training rules (TRN-03)")
    async def list_rules(self, rules: NamedDependency[RuleService]) -> list[RuleView]:
        return [rule_view(r) for r in await rules.all()]

    @put(
        "/{code:str}",
        operation_id="UpdateCreditRule",
        summary="Set a rule's required amount, window and whether it is in force (district administrators)",
        guards=[requires_role(Role.DISTRICT_ADMIN)],
    )
    async def update_rule(
        self, rules: NamedDependency[RuleService], code: FromPath[str], data: JSONBody[RuleUpdate]
    ) -> RuleView:
        return rule_view(await rules.update(code, data))


class StandingController(Controller):
    path = "/api/training"
    tags = ["Standing"]
    guards = [requires_tenant, requires_role(*READERS, *ATTENDEES)]
    dependencies = {
        "standings": provide_service(StandingService),
        "below": provide_service(BelowTargetService),
    }

    @get(
        "/people/{person_id:uuid}/standing",
        operation_id="GetPersonStanding",
        summary="A person's credit hours and training against each rule that applies to them",
        guards=[requires_role(*READERS)],
    )
    async def person_standing(
        self, standings: NamedDependency[StandingService], person_id: FromPath[UUID], year: Year = None
    ) -> Standing:
        return await standings.of_person(person_id, year)

    @get(
        "/me/standing",
        operation_id="GetMyStanding",
        summary="The signed-in person's credit hours and training against their rules",
    )
    async def my_standing(self, standings: NamedDependency[StandingService], year: Year = None) -> Standing:
        return await standings.mine(year)

    @get(
        "/standing/below-target",
        operation_id="ListBelowTarget",
        summary="Active people under a unit whose rules are not met, with what each is missing, and their total",
        guards=[requires_role(*READERS)],
    )
    async def below_target(
        self,
        below: NamedDependency[BelowTargetService],
        unit_path: UnitPath = None,
        year: Year = None,
        basis: BasisParam = Basis.ANNUAL,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        cursor: Annotated[str | None, QueryParameter(max_length=300)] = None,
    ) -> BelowTargetPage:
        return await below.page(unit_path, year, basis, cursor, limit)

    @get(
        "/standing/below-target.xlsx",
        operation_id="ExportBelowTarget",
        summary="The same list as an .xlsx workbook with Chinese headers (every row, no paging)",
        guards=[requires_role(*READERS)],
    )
    async def below_target_sheet(
        self,
        below: NamedDependency[BelowTargetService],
        unit_path: UnitPath = None,
        year: Year = None,
        basis: BasisParam = Basis.ANNUAL,
    ) -> Stream:
        found = await below.listing(unit_path, year, basis)
        workbook, count = await below_target_workbook(below.every(found), found.period.year)
        name = f"below-target-{found.period.year}.xlsx"
        local = quote(f"未达标人员-{found.period.year}.xlsx")
        return Stream(
            chunks(workbook),
            media_type=XLSX_MEDIA_TYPE,
            headers={
                "Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{local}",
                "X-Row-Count": str(count),
            },
        )
