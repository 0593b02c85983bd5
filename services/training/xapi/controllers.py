"""The xAPI 1.0.3 Statement Resource (GET) over the district's statements, the About resource, and the district's
LRS settings. An LRS client points at ``<gateway>/api/training/xapi/`` with an organiser's bearer token."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, put
from litestar.di import NamedDependency
from litestar.params import HeaderParameter, JSONBody, QueryParameter

from services.training.access import ORGANISERS
from services.training.settings import get_training_settings
from services.training.xapi.filters import check_version, read_query
from services.training.xapi.formats import shown
from services.training.xapi.lrs import LrsService
from services.training.xapi.schemas import LrsSettingsInput, LrsSettingsView
from services.training.xapi.services import StatementService
from services.training.xapi.statements import VERSION
from shared.auth.principal import Role
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant

Version = Annotated[
    str | None,
    HeaderParameter(name="X-Experience-API-Version", description="required: 1.0.x (the answer says 1.0.3)"),
]
# Every query parameter is taken as text and read by ``filters.read_query``: the spec wants a 400 for a bad one (a
# typed parameter would be Litestar's 422); they are declared for the API description.
Text = str | None


def _q(name: str, description: str) -> Any:
    return QueryParameter(name=name, description=description, required=False)


def xapi_response(content: Any, consistent_through: datetime) -> Response[Any]:
    headers = {
        "X-Experience-API-Version": VERSION,
        "X-Experience-API-Consistent-Through": consistent_through.astimezone(UTC).isoformat(),
    }
    return Response(content, headers=headers, media_type="application/json")


def more_link(request: Request[Any, Any, Any], cursor: str | None) -> str:
    """The same query from the next page on, as a path on this server (or "" on the last page)."""
    if cursor is None:
        return ""
    kept = [(name, value) for name, value in request.query_params.multi_items() if name != "cursor"]
    return f"{request.url.path}?{urlencode([*kept, ('cursor', cursor)])}"


class StatementController(Controller):
    path = "/api/training/xapi"
    tags = ["xAPI"]
    dependencies = {"statements": provide_service(StatementService)}

    @get("/about", operation_id="GetXapiAbout", summary="The xAPI versions this LRS speaks", guards=[requires_tenant])
    async def about(self) -> Response[Any]:
        return Response({"version": [VERSION]}, headers={"X-Experience-API-Version": VERSION})

    @get(
        "/statements",
        operation_id="ListXapiStatements",
        guards=[requires_tenant, requires_role(*ORGANISERS)],
        summary="The district's statements (xAPI 1.0.3 GET /statements): one Statement by statementId, else a "
        "StatementResult {statements, more} newest stored first, filtered as the spec says; a bad filter is a 400",
    )
    async def statements(
        self,
        request: Request[Any, Any, Any],
        statements: NamedDependency[StatementService],
        version: Version = None,
        accept_language: Annotated[str | None, HeaderParameter(name="Accept-Language")] = None,
        _statement_id: Annotated[Text, _q("statementId", "one statement by id (no other filter)")] = None,
        _voided: Annotated[Text, _q("voidedStatementId", "none are voided here: always 404")] = None,
        _agent: Annotated[Text, _q("agent", 'JSON agent: {"account": {"homePage", "name": person id}}')] = None,
        _verb: Annotated[Text, _q("verb", "verb IRI (attended, completed)")] = None,
        _activity: Annotated[Text, _q("activity", "activity IRI (a session or programme)")] = None,
        _registration: Annotated[Text, _q("registration", "UUID: the attendance")] = None,
        _related_activities: Annotated[Text, _q("related_activities", "true: match context activities")] = None,
        _related_agents: Annotated[Text, _q("related_agents", "true: match the authority too")] = None,
        _since: Annotated[Text, _q("since", "stored after this timestamp")] = None,
        _until: Annotated[Text, _q("until", "stored at or before this timestamp")] = None,
        _limit: Annotated[Text, _q("limit", "page size; 0 or absent: the server's maximum")] = None,
        _format: Annotated[Text, _q("format", "exact (default), ids or canonical")] = None,
        _attachments: Annotated[Text, _q("attachments", "true or false (there are no attachments)")] = None,
        _ascending: Annotated[Text, _q("ascending", "true: oldest stored first")] = None,
        _cursor: Annotated[Text, _q("cursor", "from the previous answer's more link")] = None,
    ) -> Response[Any]:
        check_version(version)
        settings = get_training_settings().xapi
        query = read_query(request.query_params.dict(), settings.page_limit)
        through = await statements.consistent_through()
        if query.statement_id is not None or query.voided_statement_id is not None:
            return xapi_response(shown(await statements.one(query), query.format, accept_language), through)
        found = await statements.page(query, settings.home_page.rstrip("/"))
        items = [shown(statement, query.format, accept_language) for statement in found.statements]
        return xapi_response({"statements": items, "more": more_link(request, found.next)}, through)


class LrsController(Controller):
    path = "/api/training/xapi/lrs"
    tags = ["xAPI"]
    guards = [requires_tenant, requires_role(Role.DISTRICT_ADMIN)]
    dependencies = {"lrs": provide_service(LrsService)}

    @get("/", operation_id="GetLrsSettings", summary="Where the district's statements are pushed (no password)")
    async def get_settings(self, lrs: NamedDependency[LrsService]) -> LrsSettingsView:
        return await lrs.get()

    @put(
        "/",
        operation_id="PutLrsSettings",
        summary="Set the district's LRS (endpoint, username, password sealed; password left out keeps the old one)",
    )
    async def put_settings(self, lrs: NamedDependency[LrsService], data: JSONBody[LrsSettingsInput]) -> LrsSettingsView:
        return await lrs.put(data)
