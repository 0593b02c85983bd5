"""The programme catalogue (TRN-01) and its sessions (TRN-02)."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency

from services.training.access import ATTENDEES, READERS
from services.training.programmes.schemas import CategoryView, ProgrammeView
from services.training.programmes.services import CatalogueService
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import views


class ProgrammeController(Controller):
    path = "/api/training"
    tags = ["Programmes"]
    guards = [requires_tenant, requires_role(*READERS, *ATTENDEES)]
    dependencies = {"catalogue": provide_service(CatalogueService)}

    @get("/categories", operation_id="ListTrainingCategories", summary="The district's training categories")
    async def categories(self, catalogue: NamedDependency[CatalogueService]) -> list[CategoryView]:
        return views(CategoryView, await catalogue.categories())

    @get("/programmes", operation_id="ListProgrammes", summary="The district's programme catalogue")
    async def programmes(self, catalogue: NamedDependency[CatalogueService]) -> list[ProgrammeView]:
        return views(ProgrammeView, await catalogue.programmes())


class SessionController(Controller):
    path = "/api/training/sessions"
    tags = ["Sessions"]
    guards = [requires_tenant, requires_role(*READERS, *ATTENDEES)]
