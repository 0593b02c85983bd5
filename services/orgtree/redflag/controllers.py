"""The Red Flag Communities' structure: staffing quotas and compliance (ORG-20), venues and service points with
their certification (ORG-22), brands (ORG-23). Every unit is found through the caller's scope: another district's
or another street's id is a 404."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote
from uuid import UUID

from litestar import Controller, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter, QueryParameter
from litestar.response import Stream

from services.orgtree.access import DISTRICT_ADMIN, EDITOR, STAFF, in_district
from services.orgtree.bulk.formats import XLSX_MEDIA_TYPE, iter_chunks
from services.orgtree.redflag.brands import BrandService
from services.orgtree.redflag.schemas import (
    BrandSet,
    CertificationChange,
    ComplianceView,
    QuotaRules,
    QuotaRulesView,
    StaffCreate,
    StaffEnd,
    StaffView,
    UnitBrandView,
    VenueCreate,
    VenueDetail,
    VenueView,
)
from services.orgtree.redflag.sheets import compliance_workbook
from services.orgtree.redflag.staffing import StaffingService
from services.orgtree.redflag.venues import VenueService
from shared.http.di import provide_service

Within = Annotated[UUID | None, QueryParameter()]
Choice = Annotated[str | None, QueryParameter(max_length=40)]


class RedFlagController(Controller):
    path = "/api/orgtree"
    tags = ["Red Flag structure"]
    guards = in_district(*STAFF)
    dependencies = {
        "staffing": provide_service(StaffingService),
        "venues": provide_service(VenueService),
        "brands": provide_service(BrandService),
    }

    @get("/staffing/quotas", operation_id="GetStaffingQuotas", summary="The district's staffing rules per level")
    async def quotas(self, staffing: NamedDependency[StaffingService]) -> QuotaRulesView:
        return await staffing.rules()

    @put(
        "/staffing/quotas",
        operation_id="ReplaceStaffingQuotas",
        summary="Replace the district's staffing rules (minimum 0 switches a rule off)",
        guards=DISTRICT_ADMIN,
    )
    async def replace_quotas(
        self, staffing: NamedDependency[StaffingService], data: JSONBody[QuotaRules]
    ) -> QuotaRulesView:
        return await staffing.replace_rules(data)

    @get(
        "/staffing/compliance",
        operation_id="GetStaffingCompliance",
        summary="Required against actual staff per unit in the scope, the units below quota first",
    )
    async def compliance(self, staffing: NamedDependency[StaffingService], within: Within = None) -> ComplianceView:
        return await staffing.compliance(within)

    @get(
        "/staffing/compliance.xlsx",
        operation_id="ExportStaffingCompliance",
        summary="The compliance report as an .xlsx workbook with Chinese headers",
    )
    async def compliance_sheet(self, staffing: NamedDependency[StaffingService], within: Within = None) -> Stream:
        report = await staffing.compliance(within)
        local = quote(f"人员配备-{report.as_of.isoformat()}.xlsx")
        disposition = f"attachment; filename=\"staffing-{report.as_of.isoformat()}.xlsx\"; filename*=UTF-8''{local}"
        return Stream(
            iter_chunks(compliance_workbook(report)),
            media_type=XLSX_MEDIA_TYPE,
            headers={"Content-Disposition": disposition, "X-Row-Count": str(len(report.rows))},
        )

    @get("/nodes/{node_id:uuid}/staff", operation_id="ListUnitStaff", summary="A unit's staff, past and present")
    async def unit_staff(self, staffing: NamedDependency[StaffingService], node_id: FromPath[UUID]) -> list[StaffView]:
        return await staffing.of_unit(node_id)

    @post(
        "/nodes/{node_id:uuid}/staff",
        operation_id="AddUnitStaff",
        summary="Record a member as the unit's full-time party worker or reserve cadre",
        guards=EDITOR,
    )
    async def add_staff(
        self, staffing: NamedDependency[StaffingService], node_id: FromPath[UUID], data: JSONBody[StaffCreate]
    ) -> StaffView:
        return await staffing.add(node_id, data)

    @patch("/staff/{staff_id:uuid}", operation_id="EndUnitStaff", summary="End a staff record", guards=EDITOR)
    async def end_staff(
        self, staffing: NamedDependency[StaffingService], staff_id: FromPath[UUID], data: JSONBody[StaffEnd]
    ) -> StaffView:
        return await staffing.end(staff_id, data)

    @get("/venues", operation_id="ListVenues", summary="Venues and service points in a subtree, by kind and status")
    async def list_venues(
        self,
        venues: NamedDependency[VenueService],
        within: Within = None,
        kind: Choice = None,
        status: Choice = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 200,
    ) -> list[VenueView]:
        return await venues.within(within, kind, status, limit)

    @post("/venues", operation_id="RegisterVenue", summary="Register a venue or service point on a unit", guards=EDITOR)
    async def register_venue(self, venues: NamedDependency[VenueService], data: JSONBody[VenueCreate]) -> VenueDetail:
        return await venues.register(data)

    @get("/venues/{venue_id:uuid}", operation_id="GetVenue", summary="A venue with its certification history")
    async def venue(self, venues: NamedDependency[VenueService], venue_id: FromPath[UUID]) -> VenueDetail:
        return await venues.detail(venue_id)

    @post(
        "/venues/{venue_id:uuid}/certification",
        operation_id="ChangeVenueCertification",
        summary="Apply for, certify or revoke (publishes VenueCertificationChanged)",
        status_code=200,
        guards=EDITOR,
    )
    async def certify(
        self, venues: NamedDependency[VenueService], venue_id: FromPath[UUID], data: JSONBody[CertificationChange]
    ) -> VenueDetail:
        return await venues.certify(venue_id, data)

    @get("/brands", operation_id="ListBrands", summary="The streets and communities of a subtree with their brands")
    async def list_brands(self, brands: NamedDependency[BrandService], within: Within = None) -> list[UnitBrandView]:
        return await brands.within(within)

    @get("/nodes/{node_id:uuid}/brand", operation_id="GetUnitBrand", summary="A street's or community's brand")
    async def unit_brand(self, brands: NamedDependency[BrandService], node_id: FromPath[UUID]) -> UnitBrandView:
        return await brands.of_unit(node_id)

    @put(
        "/nodes/{node_id:uuid}/brand",
        operation_id="SetUnitBrand",
        summary="Set a street's or community's brand (the current one becomes history)",
        guards=EDITOR,
    )
    async def set_brand(
        self, brands: NamedDependency[BrandService], node_id: FromPath[UUID], data: JSONBody[BrandSet]
    ) -> UnitBrandView:
        return await brands.set(node_id, data)
