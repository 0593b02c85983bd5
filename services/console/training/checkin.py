"""The member's phone check-in (``/console/training/checkin?c=<code>``), opened by the phone's camera app from the
organiser's QR code.

Opening the link checks nobody in: a GET may come from a link preview or a browser's prefetch, and a page that
acts on GET can be made to act by another site. The page shows who is signed in and one big 「确认签到」 button,
a form that POSTs the code with the console's CSRF token; the answer page says 「签到成功」 with the session and
its credit hours, or why not in words (the code expired: scan again; already checked in; not linked to a
member: what to do). Not signed in, the console's sign-in comes first and returns here (``next``).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Template

from services.console.api import Api, ApiError
from services.console.forms import read_form
from services.console.training.labels import ATTENDEES, UNLINKED, Refusal, checkin_refusal, shown
from services.console.training.records import me
from services.console.web import AnyRequest, signed_in

PAGE = "/console/training/checkin"
CodeParam = Annotated[str, QueryParameter(name="c", max_length=200)]


class CheckinController(Controller):
    path = PAGE
    include_in_schema = False
    guards = signed_in(*ATTENDEES)

    @get("/")
    async def confirm(self, request: AnyRequest, api: NamedDependency[Api], code: CodeParam = "") -> Template:
        """The confirmation: the member's name and the button (or, unlinked, what to do instead)."""
        person = await me(api)
        return _answer(request, code=code.strip(), person=person, refusal=None if person else Refusal(UNLINKED))

    @post("/", status_code=200)
    async def check_in(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        code = (await read_form(request)).get("c", "").strip()
        try:
            done = await api.post("/api/training/checkins", {"code": code})
        except ApiError as refused:
            refusal = checkin_refusal(refused)
            if refusal is None:
                raise
            return _answer(request, refused.status, refusal=refusal)
        return _answer(request, done=done)


def _answer(request: AnyRequest, status: int = 200, **context: Any) -> Template:
    """The page at each step: the confirmation (``code``), the success (``done``) or the refusal."""
    values = {"code": "", "person": None, "done": None, "refusal": None, **context}
    return shown(request, "training/checkin.html", status, **values)
