"""Open311 GeoReport v2 over the hotline (http://wiki.open311.org/GeoReport_v2), and its clients' keys.

``/api/dispatch/open311/v2/`` is public in this app and in the gateway (limited there per client address, like the
residents' endpoint): the resource names end in their format (``services.json``, ``requests/20261207-0001.xml``),
``jurisdiction_id`` is the district's code, and every refusal is the specification's ``errors`` document in the
format asked for (XML where none was). Each request runs in one transaction of the jurisdiction's district, through
the same RLS as every other request. Extension: ``POST verifications`` sends the submitter's phone its code.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.dispatch.catalogue.controllers import DISTRICT_ADMIN
from services.dispatch.models import Open311Client, Open311Request
from services.dispatch.notifications.controllers import runtime
from services.dispatch.open311.formats import Document, Refusal, refused, render, split_format
from services.dispatch.open311.intake import Open311Intake, read_filing
from services.dispatch.open311.keys import ClientKeyService, authenticate
from services.dispatch.open311.limits import KeyLimiter
from services.dispatch.open311.lookups import RequestLookup, read_query
from services.dispatch.open311.registry import Jurisdictions, RegistryUnavailableError
from services.dispatch.open311.schemas import ClientCreate, ClientIssued, ClientView
from services.dispatch.open311.services import discovery, district_services, service_list
from services.dispatch.public.services import PublicService
from services.dispatch.settings import get_dispatch_settings
from shared.audit import actor_scope, current_client_ip
from shared.clock import now
from shared.context import tenant_scope
from shared.http.di import provide_service
from shared.http.guards import requires_tenant
from shared.http.problems import ProblemError
from shared.http.views import view, views
from shared.privacy import mask_phone
from shared.settings import get_settings

BASE = "/api/dispatch/open311/v2"
# the residents' intake names its fields in the API's camelCase; GeoReport's names for the same
FIELD_NAMES = {"body.code": "verification_code", "body.verificationId": "verification_id", "body.phone": "phone"}
_jurisdictions: list[Jurisdictions] = []


def jurisdictions() -> Jurisdictions:
    """One registry client per process (its answers are kept a minute)."""
    if not _jurisdictions:
        _jurisdictions.append(Jurisdictions(get_settings()))
    return _jurisdictions[0]


def as_refusal(problem: ProblemError) -> Refusal:
    """The residents' intake's refusals in GeoReport's form (a 422 is the specification's 400)."""
    status = 400 if problem.status_code == 422 else problem.status_code
    if problem.errors:
        return refused(status, *(f"{FIELD_NAMES.get(e['field'], e['field'])}: {e['message']}" for e in problem.errors))
    return refused(status, str(problem.detail))


def fields(form: Mapping[str, Any]) -> dict[str, str]:
    """A form's (or query's) single text values; a repeated field or a file is refused, naming it."""
    values: dict[str, str] = {}
    for name in form:
        got = form.getall(name) if hasattr(form, "getall") else [form[name]]
        if len(got) != 1 or not isinstance(got[0], str):
            raise refused(400, f"{name}: give one text value")
        values[name] = got[0]
    return values


class Open311Desk:
    """A jurisdiction's transaction, its services and the client's key, refusals answered in GeoReport's form."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], limiter: KeyLimiter) -> None:
        self.sessions = sessions
        self.limiter = limiter

    async def client(self, session: AsyncSession, key: str | None, action: str) -> Open311Client:
        """The key's client in the district of ``session``, counted against its limit (403 or 429 otherwise)."""
        return await authenticate(session, self.limiter, key, action)

    async def reader(self, session: AsyncSession, values: Mapping[str, str]) -> UUID | None:
        """The client reading, if it gave a key (it then sees its own requests' descriptions and links)."""
        if not values.get("api_key"):
            return None
        return (await self.client(session, values["api_key"], "get_service_requests")).id

    @asynccontextmanager
    async def district(self, values: Mapping[str, str]) -> AsyncIterator[AsyncSession]:
        slug = values.get("jurisdiction_id", "").strip()
        if not slug:
            raise refused(400, "jurisdiction_id: required: the district's code")
        try:
            tenant_id = await jurisdictions().find(slug)
        except RegistryUnavailableError:
            raise refused(503, "the district registry is unavailable; try again shortly") from None
        if tenant_id is None:
            raise refused(404, f"jurisdiction_id: {slug} is not a jurisdiction of this endpoint")
        with (
            tenant_scope(tenant_id),
            actor_scope("open311:anonymous", ("resident",), client_ip=current_client_ip.get()),
        ):
            async with self.sessions() as session, session.begin():
                yield session


def provide_desk(state: State) -> Open311Desk:
    return Open311Desk(state.sessionmaker, KeyLimiter(runtime(state).redis))  # the app's Redis client


async def answered(fmt: str | None, work: Any) -> Response[bytes]:
    """The document ``work`` builds, or the refusal it raised, in the format asked for (XML where none was)."""
    if fmt is None:
        return render(refused(404, "unknown format: end the resource in .xml or .json").document(), "xml", 404)
    try:
        document: Document = await work()
    except Refusal as refusal:
        wait = {"retry-after": str(refusal.retry_after_s)} if refusal.retry_after_s else None
        return render(refusal.document(), fmt, refusal.status, wait)
    except ProblemError as problem:
        translated = as_refusal(problem)
        return render(translated.document(), fmt, translated.status)
    return render(document, fmt)


class Open311Controller(Controller):
    path = BASE
    tags = ["Open311"]
    dependencies = {"desk": Provide(provide_desk, sync_to_thread=False)}
    include_in_schema = True

    @get("/{resource:str}", operation_id="GetOpen311Resource", summary="discovery, services or requests (.xml/.json)")
    async def resource(
        self, request: Request[Any, Any, Any], desk: NamedDependency[Open311Desk], resource: FromPath[str]
    ) -> Response[bytes]:
        name, fmt = split_format(resource)

        async def work() -> Document:
            values = fields(request.query_params)
            if name == "discovery":
                return discovery(_endpoint_url(request), "the district's hotline: 96345")
            if name not in ("services", "requests"):
                raise refused(404, f"no resource {name} here")
            async with desk.district(values) as session:
                services = await district_services(session)
                if name == "services":
                    return service_list(services)
                query = read_query(values)
                return await RequestLookup(session, services).many(query, await desk.reader(session, values))

        return await answered(fmt, work)

    @get("/services/{resource:str}", operation_id="GetOpen311ServiceDefinition", summary="A service's attributes")
    async def definition(
        self, request: Request[Any, Any, Any], desk: NamedDependency[Open311Desk], resource: FromPath[str]
    ) -> Response[bytes]:
        code, fmt = split_format(resource)

        async def work() -> Document:
            values = fields(request.query_params)
            async with desk.district(values) as session:
                found = {s.code: s for s in await district_services(session)}.get(code)
                if found is None:
                    raise refused(404, f"service_code: {code} is not a service of this jurisdiction")
                return found.definition()

        return await answered(fmt, work)

    @get("/requests/{resource:str}", operation_id="GetOpen311Request", summary="Where one request stands")
    async def request_status(
        self, request: Request[Any, Any, Any], desk: NamedDependency[Open311Desk], resource: FromPath[str]
    ) -> Response[bytes]:
        number, fmt = split_format(resource)

        async def work() -> Document:
            values = fields(request.query_params)
            async with desk.district(values) as session:
                services = await district_services(session)
                return await RequestLookup(session, services).one(number, await desk.reader(session, values))

        return await answered(fmt, work)

    @post(
        "/{resource:str}",
        operation_id="PostOpen311Resource",
        status_code=200,
        summary="requests (file one, form-encoded) or verifications (send the submitter's phone its code)",
    )
    async def create(
        self, request: Request[Any, Any, Any], desk: NamedDependency[Open311Desk], resource: FromPath[str]
    ) -> Response[bytes]:
        name, fmt = split_format(resource)

        async def work() -> Document:
            if name not in ("requests", "verifications"):
                raise refused(404, f"no resource {name} here")
            if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
                raise refused(400, "the body must be form-encoded (application/x-www-form-urlencoded)")
            values = fields(await request.form())
            if name == "verifications":
                return await _send_code(desk, values)
            return await _file(desk, values)

        return await answered(fmt, work)


async def _send_code(desk: Open311Desk, values: Mapping[str, str]) -> Document:
    unknown = [n for n in values if n not in ("jurisdiction_id", "api_key", "phone")]
    if unknown:
        raise refused(400, *(f"{n}: not a field of verifications" for n in unknown))
    async with desk.district(values) as session:
        await desk.client(session, values.get("api_key"), "send a verification code")
        phone = values.get("phone", "").strip()
        if not phone:
            raise refused(400, "phone: required: the mobile number to send the code to")
        row = await PublicService(session).start_verification(phone, get_dispatch_settings())
        expires = row.expires_at.isoformat(timespec="seconds")
        entry = {"verification_id": str(row.id), "phone": mask_phone(phone), "expires_datetime": expires}
        return Document("verifications", [entry])


async def _file(desk: Open311Desk, values: Mapping[str, str]) -> Document:
    """Check everything the form says before the code is tried (a bad form costs no attempt)."""
    async with desk.district(values) as session:
        client = await desk.client(session, values.get("api_key"), "create_request")
        services = {s.code: s for s in await district_services(session)}
        intake = Open311Intake(session, read_filing(values, services))
        filed = await intake.file_request(intake.public_form(), get_dispatch_settings())
        if isinstance(filed, ProblemError):
            number = None
            refusal = as_refusal(filed)  # raised after commit: the wrong attempt must be counted
        else:
            ticket, _ = filed
            number = ticket.number
            code, media_url = intake.filing.service.code, intake.filing.media_url
            session.add(
                Open311Request(
                    ticket_id=ticket.id, client_id=client.id, service_code=code, media_url=media_url, created_at=now()
                )
            )
    if number is None:
        raise refusal
    entry = {"service_request_id": number, "service_notice": None, "account_id": values.get("account_id") or None}
    return Document("service_requests", [entry])


def _endpoint_url(request: Request[Any, Any, Any]) -> str:
    proto = request.headers.get("x-forwarded-proto") or request.url.scheme
    host = request.headers.get("x-forwarded-host") or request.headers.get("host") or request.url.netloc
    return f"{proto}://{host}{BASE}/"


class Open311ClientController(Controller):
    """The district administrator's Open311 clients: issue a key (shown once), list, revoke."""

    path = "/api/dispatch/open311/clients"
    tags = ["Open311"]
    guards = [requires_tenant, *DISTRICT_ADMIN]
    dependencies = {"keys": provide_service(ClientKeyService)}

    @get("/", operation_id="ListOpen311Clients", summary="The district's Open311 clients, active ones first")
    async def list_clients(self, keys: NamedDependency[ClientKeyService]) -> list[ClientView]:
        return views(ClientView, await keys.clients())

    @post("/", operation_id="IssueOpen311Key", status_code=201, summary="A new client and its API key (shown once)")
    async def issue(self, keys: NamedDependency[ClientKeyService], data: JSONBody[ClientCreate]) -> ClientIssued:
        client, key = await keys.issue(data)
        return ClientIssued(client=view(ClientView, client), api_key=key)

    @post(
        "/{client_id:uuid}/revocation",
        operation_id="RevokeOpen311Key",
        status_code=200,
        summary="The client's key stops answering now (another district's id is a 404)",
    )
    async def revoke(self, keys: NamedDependency[ClientKeyService], client_id: FromPath[UUID]) -> ClientView:
        return view(ClientView, await keys.revoke(client_id))
