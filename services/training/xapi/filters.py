"""The query of GET /xapi/statements, read as the xAPI 1.0.3 spec has it: every parameter is a string on the wire,
and anything the spec does not allow (an unknown parameter, an agent without exactly one identifier, a bad
timestamp, statementId with a filter) is a 400 naming the parameter, not a 422."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from shared.http.problems import ProblemError

FORMATS = ("exact", "ids", "canonical")
FILTERS = ("agent", "verb", "activity", "registration", "related_activities", "related_agents", "since", "until")
PAGING = ("limit", "ascending", "cursor")
SINGLE = ("statementId", "voidedStatementId")
ANYWHERE = ("format", "attachments")
KNOWN = frozenset((*FILTERS, *PAGING, *SINGLE, *ANYWHERE))
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
SUPPORTED_VERSION = re.compile(r"1\.0(\.\d+)?")


def bad(parameter: str, message: str) -> ProblemError:
    return ProblemError(
        400,
        f"{parameter}: {message}",
        errors=[{"field": f"query.{parameter}", "message": message}],
        title="Bad Request",
    )


def check_version(value: str | None) -> None:
    """Every xAPI request names the version it speaks; this LRS speaks 1.0.x."""
    if value is None:
        raise ProblemError(
            400,
            "the X-Experience-API-Version header is required",
            errors=[{"field": "header.X-Experience-API-Version", "message": "required (1.0.3)"}],
            title="Bad Request",
        )
    if not SUPPORTED_VERSION.fullmatch(value.strip()):
        raise ProblemError(
            400,
            f"X-Experience-API-Version {value!r} is not supported",
            errors=[{"field": "header.X-Experience-API-Version", "message": "this LRS speaks 1.0.x"}],
            title="Bad Request",
        )


@dataclass(frozen=True, slots=True)
class Account:
    home_page: str
    name: str


@dataclass(frozen=True, slots=True)
class Query:
    statement_id: UUID | None = None
    voided_statement_id: UUID | None = None
    agent: Account | None = None
    agent_elsewhere: bool = False  # an agent named by mbox/openid, or an account on another home page: no match
    verb: str | None = None
    activity: str | None = None
    registration: UUID | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 0
    ascending: bool = False
    cursor: str | None = None
    format: str = "exact"


def _uuid(parameter: str, value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise bad(parameter, "not a UUID") from None


def _boolean(parameter: str, value: str) -> bool:
    if value not in ("true", "false"):
        raise bad(parameter, "true or false")
    return value == "true"


def _timestamp(parameter: str, value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise bad(parameter, "not an ISO 8601 timestamp") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # the spec's default: UTC


def _iri(parameter: str, value: str) -> str:
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:\S+", value) or len(value) > 400:
        raise bad(parameter, "not an IRI")
    return value


def _agent(value: str) -> tuple[Account | None, bool]:
    """The agent as (our account, False), or (None, True) for a valid agent identified some other way."""
    try:
        agent: Any = json.loads(value)
    except ValueError:
        raise bad("agent", "not a JSON object") from None
    if not isinstance(agent, dict) or agent.get("objectType", "Agent") not in ("Agent", "Group"):
        raise bad("agent", "an Agent or identified Group as a JSON object")
    named = [ifi for ifi in IFIS if ifi in agent]
    if len(named) != 1:
        raise bad("agent", "exactly one of mbox, mbox_sha1sum, openid, account")
    if named[0] != "account":
        if not isinstance(agent[named[0]], str):
            raise bad("agent", f"{named[0]} must be a string")
        return None, True
    account = agent["account"]
    if not (
        isinstance(account, dict) and isinstance(account.get("homePage"), str) and isinstance(account.get("name"), str)
    ):
        raise bad("agent", "account needs homePage and name (strings)")
    return Account(account["homePage"].rstrip("/"), account["name"]), False


def read_query(params: dict[str, list[str]], page_limit: int) -> Query:
    unknown = sorted(set(params) - KNOWN)
    if unknown:
        raise bad(unknown[0], "not a parameter of the Statements resource")
    repeated = sorted(name for name, values in params.items() if len(values) > 1)
    if repeated:
        raise bad(repeated[0], "given more than once")
    given = {name: values[0] for name, values in params.items()}
    fields: dict[str, Any] = {}
    if "format" in given:
        if given["format"] not in FORMATS:
            raise bad("format", f"one of: {', '.join(FORMATS)}")
        fields["format"] = given["format"]
    if "attachments" in given:
        _boolean("attachments", given["attachments"])  # there are none to send: the answer is JSON either way
    single = [name for name in SINGLE if name in given]
    if single:
        others = sorted(set(given) - {*single, *ANYWHERE})
        if len(single) > 1 or others:
            raise bad(single[0], f"cannot be combined with {(single[1:] or others)[0]}")
        key = "statement_id" if single[0] == "statementId" else "voided_statement_id"
        fields[key] = _uuid(single[0], given[single[0]])
        return Query(**fields)
    if "agent" in given:
        fields["agent"], fields["agent_elsewhere"] = _agent(given["agent"])
    for name in ("verb", "activity"):
        if name in given:
            fields[name] = _iri(name, given[name])
    if "registration" in given:
        fields["registration"] = _uuid("registration", given["registration"])
    for name in ("related_activities", "related_agents", "ascending"):
        if name in given:
            fields[name] = _boolean(name, given[name])
    for name in ("since", "until"):
        if name in given:
            fields[name] = _timestamp(name, given[name])
    if "limit" in given:
        if not given["limit"].isdigit():
            raise bad("limit", "a whole number, 0 for the server's maximum")
        fields["limit"] = int(given["limit"])
    fields["limit"] = min(fields.get("limit") or page_limit, page_limit)
    if "cursor" in given:
        fields["cursor"] = given["cursor"]
    return Query(**fields)
