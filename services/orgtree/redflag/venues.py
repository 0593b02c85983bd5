"""Venues and service points of units (ORG-22) and their certification: a 7171 point is applied for, certified
(with the unified 7171 sign hung, or not yet) and may be revoked [004]; every change is kept."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.nodes.models import OrgNode
from services.orgtree.nodes.services import NodeService, in_subtree
from services.orgtree.redflag.models import Venue, VenueCertification
from services.orgtree.redflag.schemas import (
    CertificationChange,
    CertificationView,
    VenueCreate,
    VenueDetail,
    VenueView,
)
from shared import audit
from shared.auth.principal import Principal
from shared.clock import china_today, now
from shared.contracts.orgtree import VenueCertificationChanged
from shared.db.repository import Repository
from shared.http.problems import conflict, invalid
from shared.http.views import view, views
from shared.messaging.outbox import publish

VENUE_KINDS = {
    "centre_71": "“71”党群服务中心",
    "point_7171": "7171认证服务网点",
    "red_cube_station": "红色小屋",
    "sunshine_station": "阳光驿站",
    "party_mass_service_centre": "党群服务中心",
    "open_org_life_base": "开放式组织生活基地",
    "member_activity_centre": "党员活动中心",
}
# Party-mass service centres count the service items they offer (the district centre's 97 windows ... [001]).
COUNTS_ITEMS = {"party_mass_service_centre", "centre_71"}
STATUSES = ("applied", "certified", "revoked")
# What a Sunshine station offers members, mobile and "two-new" ones above all [001/PD].
SUNSHINE_SERVICES = {
    "membership_transfer": "组织关系转接",
    "mobile_member_branch": "流动党员支部",
    "reading_room": "党员书屋",
}


class VenueRepository(Repository[Venue]):
    model_type = Venue
    noun = "venue"


class VenueService:
    def __init__(
        self, session: AsyncSession, principal: Principal, venues: VenueRepository, nodes: NodeService
    ) -> None:
        self.session = session
        self.principal = principal
        self.venues = venues
        self.nodes = nodes

    async def register(self, data: VenueCreate) -> VenueDetail:
        if data.kind not in VENUE_KINDS:
            raise invalid("kind", f"one of: {', '.join(VENUE_KINDS)}")
        if data.item_count is not None and data.kind not in COUNTS_ITEMS:
            raise invalid("itemCount", "only a party-mass service centre counts its service items")
        if data.services and data.kind != "sunshine_station":
            raise invalid("services", "only a Sunshine station lists its services")
        if unknown := sorted(set(data.services) - set(SUNSHINE_SERVICES)):
            raise invalid("services", f"unknown services {', '.join(unknown)}; one of: {', '.join(SUNSHINE_SERVICES)}")
        unit = await self.nodes.get(data.unit_id)
        row = Venue(
            unit_id=unit.id,
            unit_path=unit.path,
            kind=data.kind,
            name=data.name.strip(),
            address=(data.address or "").strip() or None,
            opening_hours=(data.opening_hours or "").strip() or None,
            item_count=data.item_count,
            services=sorted(set(data.services)),
            signage=False,
            created_at=now(),
        )
        await self.venues.add(row)
        detail = {"unit_id": str(unit.id), "kind": data.kind}
        await audit.record(
            self.session, "orgtree.venue.registered", subject_type="venue", subject_id=str(row.id), detail=detail
        )
        return await self.detail(row.id)

    async def get(self, venue_id: UUID) -> Venue:
        return await self.venues.get_or_404(venue_id, visible=lambda v: self.principal.may_see_path(v.unit_path))

    async def detail(self, venue_id: UUID) -> VenueDetail:
        venue = await self.get(venue_id)
        unit_name = await self.session.scalar(select(OrgNode.name).where(OrgNode.id == venue.unit_id))
        history = await self.session.scalars(
            select(VenueCertification)
            .where(VenueCertification.venue_id == venue.id)
            .order_by(VenueCertification.recorded_at.desc(), VenueCertification.id.desc())
        )
        return VenueDetail(
            venue=view(VenueView, venue, unit_name=unit_name or ""), history=views(CertificationView, history)
        )

    async def within(self, node_id: UUID | None, kind: str | None, status: str | None, limit: int) -> list[VenueView]:
        if kind is not None and kind not in VENUE_KINDS:
            raise invalid("query.kind", f"one of: {', '.join(VENUE_KINDS)}")
        if status is not None and status not in (*STATUSES, "none"):
            raise invalid("query.status", f"one of: {', '.join(STATUSES)}, none")
        scope = await self.nodes.scope_path(node_id)
        query = select(Venue, OrgNode.name).join(OrgNode, OrgNode.id == Venue.unit_id)
        if scope is not None:
            query = query.where(in_subtree(Venue.unit_path, scope))
        if kind is not None:
            query = query.where(Venue.kind == kind)
        if status == "none":
            query = query.where(Venue.status.is_(None))
        elif status is not None:
            query = query.where(Venue.status == status)
        rows = await self.session.execute(query.order_by(Venue.unit_path, Venue.kind, Venue.name).limit(limit))
        return [view(VenueView, venue, unit_name=name) for venue, name in rows.all()]

    async def certify(self, venue_id: UUID, data: CertificationChange) -> VenueDetail:
        """One step of certification: applied, certified or revoked (a revocation only of a certified point)."""
        if data.status not in STATUSES:
            raise invalid("status", f"one of: {', '.join(STATUSES)}")
        if data.changed_on > china_today():
            raise invalid("changedOn", "a certification cannot be dated in the future")
        venue = await self.get(venue_id)
        if data.status == "revoked" and venue.status != "certified":
            raise conflict("only a certified venue can have its certification revoked")
        if data.status == venue.status and data.signage == venue.signage:
            raise conflict(f"this venue is {data.status} already")
        if venue.status_on is not None and data.changed_on < venue.status_on:
            raise invalid("changedOn", "a change cannot be dated before the venue's last one")
        venue.status, venue.status_on, venue.signage = data.status, data.changed_on, data.signage
        note = (data.note or "").strip() or None
        self.session.add(
            VenueCertification(
                venue_id=venue.id,
                status=data.status,
                changed_on=data.changed_on,
                signage=data.signage,
                note=note,
                recorded_by=self.principal.user_id,
                recorded_at=now(),
            )
        )
        await self.session.flush()
        detail = {"status": data.status, "changed_on": data.changed_on.isoformat(), "signage": data.signage}
        await audit.record(
            self.session, "orgtree.venue.certification", subject_type="venue", subject_id=str(venue.id), detail=detail
        )
        await publish(
            self.session,
            VenueCertificationChanged(
                tenant_id=venue.tenant_id,
                venue_id=venue.id,
                unit_id=venue.unit_id,
                unit_path=venue.unit_path,
                kind=venue.kind,
                name=venue.name,
                status=data.status,
                changed_on=data.changed_on,
                signage=data.signage,
            ),
        )
        return await self.detail(venue.id)
