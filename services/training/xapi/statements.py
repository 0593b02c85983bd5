"""Attendance as xAPI 1.0.3 statements, written in the attendance's own transaction (``checkin/recording.py``).

A statement names the person by an account on the platform ({homePage, name: the training person id}) and
nothing else: no name, phone or member number leaves in a statement. Its id is a UUIDv5 of the attendance, so
recording it again inserts nothing new. ``stored`` is set by the database (the transaction's start).
"""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from sqlalchemy import cast, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.programmes.models import Attendance, Counts, Programme, TrainingSession
from services.training.settings import get_training_settings
from services.training.xapi.models import XapiStatement
from shared.context import require_tenant

VERSION = "1.0.3"  # what this LRS speaks (the X-Experience-API-Version it answers with)
STATEMENT_VERSION = "1.0.0"  # the statement format version, as the spec has the LRS set it
NAMESPACE = uuid5(NAMESPACE_URL, "urn:redcell:training:xapi:statement")  # of statement ids; never change it
ATTENDED = "http://adlnet.gov/expapi/verbs/attended"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
VERBS = {ATTENDED: {"en-US": "attended", "zh-CN": "参加了"}, COMPLETED: {"en-US": "completed", "zh-CN": "完成了"}}
MEETING = "http://adlnet.gov/expapi/activities/meeting"  # one sitting of a programme
COURSE = "http://adlnet.gov/expapi/activities/course"  # the programme
UNIT_EXTENSION = "/xapi/extensions/organiser-unit"  # under the home page: {id, name, path} of the organising unit


def statement_id(verb: str, attendance_id: UUID) -> UUID:
    return uuid5(NAMESPACE, f"{verb}|{attendance_id}")


def agent(home_page: str, name: str) -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": home_page, "name": name}}


def authority(home_page: str) -> dict[str, Any]:
    """This service, which asserts every statement it makes."""
    return {"objectType": "Agent", "account": {"homePage": home_page, "name": "redcell-training"}}


def session_activity(home_page: str, session: TrainingSession) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": f"{home_page}/api/training/sessions/{session.id}",
        "definition": {"name": {"zh-CN": session.title}, "type": MEETING},
    }


def programme_activity(home_page: str, programme: Programme) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": f"{home_page}/api/training/programmes/{programme.id}",
        "definition": {"name": {"zh-CN": programme.name}, "type": COURSE},
    }


def _context(home_page: str, session: TrainingSession, attendance: Attendance, **activities: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "registration": str(attendance.id),
        "contextActivities": activities,
        "platform": "Redcell",
        "language": "zh-CN",
    }
    if session.organiser_unit_id or session.organiser_unit_path:
        unit = {
            "id": str(session.organiser_unit_id) if session.organiser_unit_id else None,
            "name": session.organiser_unit_name,
            "path": session.organiser_unit_path,
        }
        context["extensions"] = {f"{home_page}{UNIT_EXTENSION}": unit}
    return context


def _statement(verb: str, attendance: Attendance, home_page: str, **parts: Any) -> dict[str, Any]:
    return {
        "id": str(statement_id(verb, attendance.id)),
        "actor": agent(home_page, str(attendance.person_id)),
        "verb": {"id": verb, "display": VERBS[verb]},
        **parts,
        "timestamp": attendance.checked_in_at.isoformat(),
        "authority": authority(home_page),
        "version": STATEMENT_VERSION,
    }


def describe(
    session: TrainingSession, programme: Programme, attendance: Attendance, home_page: str
) -> list[dict[str, Any]]:
    """The attendance as statements: "attended" the session (in the programme), and for a pre-service training
    (EVT-14) also "completed" the programme."""
    sitting, course = session_activity(home_page, session), programme_activity(home_page, programme)
    made = [
        _statement(
            ATTENDED,
            attendance,
            home_page,
            object=sitting,
            context=_context(home_page, session, attendance, parent=[course]),
        )
    ]
    if Counts.PRE_SERVICE in attendance.counts:
        made.append(
            _statement(
                COMPLETED,
                attendance,
                home_page,
                object=course,
                result={"completion": True},
                context=_context(home_page, session, attendance, other=[sitting]),
            )
        )
    return made


def row_of(statement: dict[str, Any], session: TrainingSession, attendance: Attendance) -> dict[str, Any]:
    """The columns the filters read, from the statement itself. ``stored`` is the transaction's start on the
    database's clock, so that what a reader was told is consistent (``services.consistent_through``) holds."""
    context = statement["context"]["contextActivities"]
    related = [statement["object"]["id"], *(a["id"] for group in context.values() for a in group)]
    return {
        "tenant_id": require_tenant(),
        "id": UUID(statement["id"]),
        "stored": func.now(),
        "timestamp": attendance.checked_in_at,
        "verb": statement["verb"]["id"],
        "actor_name": statement["actor"]["account"]["name"],
        "activity_id": statement["object"]["id"],
        "related_activities": sorted(set(related)),
        "registration": attendance.id,
        "unit_path": session.organiser_unit_path,
        "statement": cast(statement, JSONB).op("||")(func.jsonb_build_object("stored", func.now())),
        "attempts": 0,
        "next_attempt_at": func.now(),
    }


async def record_attendance(
    db: AsyncSession, session: TrainingSession, programme: Programme, attendance: Attendance
) -> int:
    """Store the attendance's statements in the caller's transaction; how many were new (0 when written before)."""
    home_page = get_training_settings().xapi.home_page.rstrip("/")
    made = describe(session, programme, attendance, home_page)
    rows = [row_of(statement, session, attendance) for statement in made]
    inserted = await db.execute(
        pg_insert(XapiStatement).values(rows).on_conflict_do_nothing(index_elements=["id"]).returning(XapiStatement.id)
    )
    return len(inserted.all())
