"""Answers built from rows: hours and days as JSON numbers, sessions with their programme's name and counts."""

from __future__ import annotations

from services.training.people.models import Person
from services.training.programmes.models import Attendance, Programme, TrainingSession
from services.training.programmes.schemas import AttendanceView, ProgrammeView, SessionView
from shared.http.views import view


def programme_view(programme: Programme) -> ProgrammeView:
    return view(ProgrammeView, programme, default_credit_hours=float(programme.default_credit_hours))


def session_view(row: TrainingSession, programme: Programme, attendance_count: int | None = None) -> SessionView:
    return view(
        SessionView,
        row,
        programme_code=programme.code,
        programme_name=programme.name,
        counts=list(programme.counts),
        credit_hours=float(row.credit_hours),
        training_days=float(row.training_days),
        attendance_count=attendance_count,
    )


def attendance_view(row: Attendance, person: Person) -> AttendanceView:
    return view(
        AttendanceView,
        row,
        person_name=person.name,
        person_kind=person.kind,
        credit_hours=float(row.credit_hours),
        training_days=float(row.training_days),
    )
