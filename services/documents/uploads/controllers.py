"""Uploading documents' files: ask for an upload (a new document, or a new version of one), send the bytes straight
to the store with the presigned request(s), then confirm. See ``services.py`` and ``confirm.py``."""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody

from services.documents.access import READERS
from services.documents.files.store import FileStore
from services.documents.library.views import document_view, version_view
from services.documents.uploads.confirm import Confirmer
from services.documents.uploads.schemas import (
    ConfirmRequest,
    NewVersionRequest,
    UploadConfirmed,
    UploadRequest,
    UploadStarted,
)
from services.documents.uploads.services import UploadService
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.problems import problem

AnyRequest = Request[Any, Any, Any]
REFUSED = {422: ResponseSpec(None, description="The file was refused (what it really is, or its size); nothing kept")}


class UploadController(Controller):
    path = "/api/documents/uploads"
    tags = ["Uploads"]
    guards = [requires_tenant, requires_role(*READERS)]
    dependencies = {"uploads": provide_service(UploadService), "confirmer": provide_service(Confirmer)}

    @post("/", operation_id="StartUpload", summary="A new document: its first version's upload is granted")
    async def start_upload(
        self, uploads: NamedDependency[UploadService], files: NamedDependency[FileStore], data: JSONBody[UploadRequest]
    ) -> UploadStarted:
        document, version, grant = await uploads.start(data, files)
        return UploadStarted(document=document_view(document), version_id=version.id, upload=grant)

    @post(
        "/{version_id:uuid}/confirm",
        operation_id="ConfirmUpload",
        summary="The bytes were sent: check and store them",
        status_code=200,
        responses=REFUSED,
    )
    async def confirm_upload(
        self,
        request: AnyRequest,
        confirmer: NamedDependency[Confirmer],
        files: NamedDependency[FileStore],
        version_id: FromPath[UUID],
        data: JSONBody[ConfirmRequest | None] = None,
    ) -> Response[UploadConfirmed]:
        outcome = await confirmer.confirm(version_id, data or ConfirmRequest(), files)
        if outcome.refused is not None:
            # an answer, not a raise: the refusal (version rejected, object removed) is committed
            refused = problem(
                422,
                "Unprocessable Content",
                f"the file was refused: {outcome.refused}",
                request,
                errors=[{"field": "body", "message": outcome.refused}],
            )
            return cast("Response[UploadConfirmed]", refused)
        assert outcome.document is not None
        view = UploadConfirmed(
            document=document_view(outcome.document, outcome.version), version=version_view(outcome.version)
        )
        return Response(view, status_code=200)


async def start_version(
    uploads: UploadService, files: FileStore, document_id: UUID, data: NewVersionRequest
) -> UploadStarted:
    """A new version of a document and its upload (``POST /documents/{id}/versions``, routed by DocumentController:
    Litestar takes one controller per path, and the version history's GET has it)."""
    document, version, grant = await uploads.add_version(document_id, data, files)
    current = await uploads.documents.current([document])
    return UploadStarted(
        document=document_view(document, current.get(document.id)), version_id=version.id, upload=grant
    )
