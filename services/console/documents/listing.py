"""What the library's pages read besides the documents: the district's types and retention classes by code, the
units a staff member picks from, the list's and the search's filters, and a search snippet with its hits marked."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup, escape

from services.console.api import Api, ApiError
from services.console.documents.words import STAFF, SUBJECT_KINDS
from services.console.session import SignedIn
from services.console.training.units import Unit, units

PAGE = 30


async def types_by_code(api: Api) -> dict[str, dict[str, Any]]:
    listed = await api.get("/api/documents/types")
    return {kind["code"]: kind for kind in listed["items"]}


async def registry(api: Api) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """The types and the retention classes, each by code."""
    kinds, classes = await asyncio.gather(types_by_code(api), api.get("/api/documents/retention-classes"))
    return kinds, {c["code"]: c for c in classes["items"]}


async def units_of(api: Api, user: SignedIn) -> dict[str, list[Unit]]:
    """The units a staff member files on and filters by (their scope's top and right under it); none for others."""
    if not user.has_role(*STAFF):
        return {}
    try:
        return await units(api)
    except ApiError as refused:
        if refused.status == 403:
            return {}
        raise


def unit_paths(found: dict[str, list[Unit]]) -> set[str]:
    return {unit.path for listed in found.values() for unit in listed}


@dataclass(frozen=True)
class Filters:
    """The list's (and the search's) choices as typed; a unit or kind not on offer is dropped."""

    unit: str = ""
    kind: str = ""
    subject: str = ""
    deleted: bool = False
    q: str = ""
    cursor: str = ""

    @classmethod
    def read(cls, query: dict[str, str], paths: set[str], kinds: dict[str, Any]) -> Filters:
        unit = query.get("unit", "").strip()
        kind = query.get("type", "").strip()
        subject = query.get("subject", "").strip()
        return cls(
            unit=unit if unit in paths else "",
            kind=kind if kind in kinds else "",
            subject=subject if subject in SUBJECT_KINDS else "",
            deleted=query.get("state") == "all",
            q=query.get("q", "").strip()[:200],
            cursor=query.get("cursor", "").strip()[:500],
        )

    def listing(self) -> dict[str, Any]:
        """``GET /api/documents/documents``'s parameters."""
        return {
            "unitPath": self.unit or None,
            "type": self.kind or None,
            "subjectKind": self.subject or None,
            "includeDeleted": "true" if self.deleted else None,
            "cursor": self.cursor or None,
            "limit": PAGE,
        }

    def search(self) -> dict[str, Any]:
        """``GET /api/documents/search``'s parameters."""
        return {
            "q": self.q,
            "unitPath": self.unit or None,
            "type": self.kind or None,
            "subjectKind": self.subject or None,
            "cursor": self.cursor or None,
            "limit": PAGE,
        }

    def address(self, base: str, **changes: str) -> str:
        """This list's address with some choices changed (the next page's link)."""
        params = {
            "q": self.q,
            "unit": self.unit,
            "type": self.kind,
            "subject": self.subject,
            "state": "all" if self.deleted else "",
            **changes,
        }
        return base + "?" + urlencode({k: v for k, v in params.items() if v})


def highlighted(snippet: str | None, q: str) -> Markup:
    """The snippet escaped, each word of ``q`` found in it marked (the API's snippet is plain text)."""
    if not snippet:
        return Markup("")
    words = sorted({w for w in q.split() if w}, key=len, reverse=True)
    if not words:
        return escape(snippet)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    out, at = [], 0
    for hit in pattern.finditer(snippet):
        out.append(escape(snippet[at : hit.start()]))
        out.append(Markup("<mark>%s</mark>") % hit.group(0))
        at = hit.end()
    out.append(escape(snippet[at:]))
    return Markup("").join(out)
