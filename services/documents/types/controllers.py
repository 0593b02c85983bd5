"""The registry of document types and retention classes (DOC-01, DOC-09)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter

from services.documents.access import READERS, REGISTRARS
from services.documents.types.schemas import (
    DocumentTypeList,
    DocumentTypeUpdate,
    DocumentTypeView,
    RetentionClassList,
    RetentionClassView,
)
from services.documents.types.services import Registry
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view, views

TypeCode = Annotated[str, PathParameter(max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]


class RegistryController(Controller):
    path = "/api/documents"
    tags = ["Document types"]
    guards = [requires_tenant, requires_role(*READERS)]
    dependencies = {"registry": provide_service(Registry)}

    @get("/types", operation_id="ListDocumentTypes", summary="The district's document types")
    async def list_types(self, registry: NamedDependency[Registry]) -> DocumentTypeList:
        return DocumentTypeList(items=views(DocumentTypeView, await registry.all_types()))

    @get("/types/{code:str}", operation_id="GetDocumentType", summary="One document type")
    async def get_type(self, registry: NamedDependency[Registry], code: TypeCode) -> DocumentTypeView:
        return view(DocumentTypeView, await registry.type_of(code))

    @patch(
        "/types/{code:str}",
        operation_id="UpdateDocumentType",
        summary="Change a type's name, retention class, visibility, public fields, files or refresh",
        guards=[requires_role(*REGISTRARS)],
    )
    async def update_type(
        self, registry: NamedDependency[Registry], code: TypeCode, data: JSONBody[DocumentTypeUpdate]
    ) -> DocumentTypeView:
        return view(DocumentTypeView, await registry.update_type(code, data))

    @get("/retention-classes", operation_id="ListRetentionClasses", summary="The district's retention classes")
    async def list_classes(self, registry: NamedDependency[Registry]) -> RetentionClassList:
        return RetentionClassList(items=views(RetentionClassView, await registry.classes()))
