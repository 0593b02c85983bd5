"""The district's templates of generated documents (DOC-03): read by staff, edited by the district admin."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get, put
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter

from services.documents.access import HOTLINE, REGISTRARS, STAFF
from services.documents.generated.layout import FACTS, Layout
from services.documents.generated.models import DocumentTemplate
from services.documents.generated.schemas import TemplateList, TemplateUpdate, TemplateView
from services.documents.generated.services import TemplateService
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view

TemplateCode = Annotated[str, PathParameter(max_length=60, pattern=r"^[a-z][a-z0-9_]*$")]


def template_view(row: DocumentTemplate) -> TemplateView:
    return view(
        TemplateView,
        row,
        layout=msgspec.convert(row.body, Layout),
        placeholders=list(FACTS.get(row.code, ())),
    )


class TemplateController(Controller):
    path = "/api/documents/templates"
    tags = ["Templates"]
    guards = [requires_tenant, requires_role(*STAFF, *HOTLINE)]
    dependencies = {"templates": provide_service(TemplateService)}

    @get("/", operation_id="ListDocumentTemplates", summary="The district's templates of generated documents")
    async def list_templates(self, templates: NamedDependency[TemplateService]) -> TemplateList:
        return TemplateList(items=[template_view(row) for row in await templates.all()])

    @get("/{code:str}", operation_id="GetDocumentTemplate", summary="One template, with the placeholders it may use")
    async def get_template(self, templates: NamedDependency[TemplateService], code: TemplateCode) -> TemplateView:
        return template_view(await templates.get(code))

    @put(
        "/{code:str}",
        operation_id="UpdateDocumentTemplate",
        summary="Replace a template's name, title and layout; documents rendered before keep their PDFs",
        guards=[requires_role(*REGISTRARS)],
    )
    async def update_template(
        self, templates: NamedDependency[TemplateService], code: TemplateCode, data: JSONBody[TemplateUpdate]
    ) -> TemplateView:
        return template_view(await templates.update(code, data))
