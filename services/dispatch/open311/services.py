"""The district's catalogue as GeoReport v2 services, and the service definitions.

Every active category is a service (its code, for a request of that kind in general), and so is each of its
active items, coded ``<category>-<item>``: catalogue codes are ``[a-z][a-z0-9_]*`` and an item never changes
category, so the code is stable and never collides with a category's. An item handled by proxy (代办) asks for
more: what exactly to do on the resident's behalf (required) and whether it concerns one household or many; every
other service asks for nothing beyond the specification's own fields (``metadata`` false).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.catalogue.models import ServiceCategory, ServiceItem
from services.dispatch.catalogue.services import district_settings
from services.dispatch.open311.formats import Document

ITEM_SEPARATOR = "-"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-07T00:00:00+08:00"  # when this endpoint's behaviour last changed


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str  # string | number | datetime | text | singlevaluelist | multivaluelist
    required: bool
    description: str
    order: int
    label: str  # how the answer is headed in the ticket's description
    values: tuple[tuple[str, str], ...] = ()


SCOPE = "scope"  # its answer is the ticket's scope_kind, not text
PROXY_ATTRIBUTES = (
    Attribute("errand_detail", "text", True, "要代办的具体事项，以及需要准备的证件和材料", 1, "代办事项"),
    Attribute(
        SCOPE,
        "singlevaluelist",
        False,
        "只涉及本户，还是涉及多户的共性问题",
        2,
        "诉求范围",
        (("individual", "本户诉求"), ("common", "多户共性问题")),
    ),
)


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    description: str
    group: str
    keywords: str
    category_id: UUID
    item_id: UUID | None
    attributes: tuple[Attribute, ...] = ()

    def summary(self) -> dict[str, Any]:
        return {
            "service_code": self.code,
            "service_name": self.name,
            "description": self.description,
            "metadata": bool(self.attributes),
            "type": "realtime",
            "keywords": self.keywords,
            "group": self.group,
        }

    def definition(self) -> Document:
        attributes = [
            {
                "variable": True,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": None,
                "order": a.order,
                "description": a.description,
                **({"values": [{"key": key, "name": name} for key, name in a.values]} if a.values else {}),
            }
            for a in self.attributes
        ]
        return Document("service_definition", {"service_code": self.code, "attributes": attributes})


def catalogue_services(categories: list[ServiceCategory], items: list[ServiceItem]) -> list[Service]:
    """The services of active categories (in the desk's order), each followed by its active items."""
    by_category: dict[UUID, list[ServiceItem]] = {}
    for item in items:
        by_category.setdefault(item.category_id, []).append(item)
    services: list[Service] = []
    for category in categories:
        own = by_category.get(category.id, [])
        names = "、".join(i.name for i in own)
        services.append(
            Service(
                category.code, category.name, names or category.name, category.name, category.code, category.id, None
            )
        )
        for item in own:
            proxy = item.handling == "proxy"
            services.append(
                Service(
                    f"{category.code}{ITEM_SEPARATOR}{item.code}",
                    item.name,
                    f"{category.name}：{item.name}" + ("（代办）" if proxy else ""),
                    category.name,
                    f"{category.code}, {item.code}",
                    category.id,
                    item.id,
                    PROXY_ATTRIBUTES if proxy else (),
                )
            )
    return services


async def district_services(session: AsyncSession) -> list[Service]:
    """The district's services (404 for a district without a hotline, from ``district_settings``)."""
    await district_settings(session)
    categories = await session.scalars(
        select(ServiceCategory).where(ServiceCategory.active).order_by(ServiceCategory.rank, ServiceCategory.code)
    )
    items = await session.scalars(select(ServiceItem).where(ServiceItem.active).order_by(ServiceItem.code))
    return catalogue_services(list(categories), list(items))


def service_list(services: list[Service]) -> Document:
    return Document("services", [s.summary() for s in services])


def discovery(url: str, contact: str) -> Document:
    """The service discovery document: one production endpoint, both formats."""
    endpoint = {
        "specification": SPECIFICATION,
        "url": url,
        "changeset": CHANGESET,
        "type": "production",
        "formats": ["text/xml", "application/json"],
    }
    return Document(
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": contact,
            "key_service": "API keys are issued by the district's administrator (Redcell console: Open311 clients)",
            "endpoints": [endpoint],
        },
    )


def iso(moment: datetime | None, zone: Any) -> str | None:
    """ISO 8601 with the district's offset (``2026-12-07T09:30:00+08:00``), as the specification asks."""
    return moment.astimezone(zone).isoformat(timespec="seconds") if moment else None
