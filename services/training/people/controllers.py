"""The people training keeps records for: members (from orgtree) and residents who attend."""

from __future__ import annotations

from litestar import Controller

from services.training.access import READERS
from shared.http.guards import requires_role, requires_tenant


class PersonController(Controller):
    path = "/api/training/people"
    tags = ["People"]
    guards = [requires_tenant, requires_role(*READERS)]
