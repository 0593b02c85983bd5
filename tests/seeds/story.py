"""What the seeds' stories share: a village with a grid and its party branch, a member with a login who serves a
household (a red cell), and polling for what crosses services by events."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import jwt

from tests.e2e.test_dispatch_flow import created, until
from tests.platform.platform import PASSWORD, RunningPlatform, auth, login, new_user

__all__ = ["RedCell", "Village", "created", "red_cell", "until", "village"]


@dataclass
class Village:
    street: dict[str, Any]
    village: dict[str, Any]
    grid: dict[str, Any]
    committee: dict[str, Any]
    branch: dict[str, Any]


@dataclass
class RedCell:
    member: dict[str, Any]
    household: dict[str, Any]
    headers: dict[str, str]  # the member's own login


def village(platform: RunningPlatform, admin: dict[str, str], name: str) -> Village:
    """A street, its village and grid, and the village's party branch (names made unique per run)."""
    gateway, tag = platform.gateway, uuid.uuid4().hex[:4]

    def unit(parent: dict[str, Any], level: str, unit_name: str, **extra: Any) -> dict[str, Any]:
        body = {"parentId": parent["id"], "level": level, "name": unit_name, **extra}
        return created(gateway, "/api/orgtree/nodes", body, admin)

    roots = {n["tree"]: n for n in httpx.get(f"{gateway}/api/orgtree/nodes", headers=admin).json()["items"]}
    street = unit(roots["administrative"], "street", f"{name}街道{tag}")
    place = unit(street, "village", f"{name}村{tag}")
    grid = unit(place, "grid", f"{name}村{tag}第一网格")
    committee = unit(roots["party"], "street_working_committee", f"{name}街道{tag}党工委")
    branch = unit(committee, "branch", f"{name}村{tag}党支部", linkedNodeId=place["id"])
    return Village(street, place, grid, committee, branch)


def red_cell(
    platform: RunningPlatform, admin: dict[str, str], where: Village, *, name: str, label: str, phone: str
) -> RedCell:
    """A member with a member-volunteer login who serves one household of the grid."""
    gateway = platform.gateway
    token = login(gateway, new_user(gateway, platform.a.token, "redcell", ["member", "volunteer"]), PASSWORD)
    user_id = jwt.decode(token["accessToken"], options={"verify_signature": False})["sub"]
    body = {"name": name, "branchId": where.branch["id"], "gridId": where.grid["id"], "userId": user_id}
    member = created(gateway, "/api/orgtree/members", body, admin)
    household = created(
        gateway, "/api/orgtree/households", {"gridId": where.grid["id"], "label": label, "phone": phone}, admin
    )
    created(gateway, f"/api/orgtree/members/{member['id']}/households", {"householdId": household["id"]}, admin)
    return RedCell(member, household, auth(token["accessToken"]))
