"""Instructors of grid party groups (ORG-11): a group's instructors (by the group's id or its grid's), assigning
and ending one, and the groups short of theirs. Another district's or another street's id is a 404."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.orgtree.access import EDITOR, STAFF, in_district
from services.orgtree.instructors.schemas import (
    GroupInstructorsView,
    InstructorCreate,
    InstructorEnd,
    InstructorGapsView,
    InstructorView,
)
from services.orgtree.instructors.services import InstructorService
from shared.http.di import provide_service


class InstructorController(Controller):
    path = "/api/orgtree"
    tags = ["Instructors"]
    guards = in_district(*STAFF)
    dependencies = {"instructors": provide_service(InstructorService)}

    @get(
        "/nodes/{node_id:uuid}/instructors",
        operation_id="ListGroupInstructors",
        summary="A grid party group's instructors, past and present (the group's id or its grid's)",
    )
    async def of_group(
        self, instructors: NamedDependency[InstructorService], node_id: FromPath[UUID]
    ) -> GroupInstructorsView:
        return await instructors.of_group(node_id)

    @post(
        "/nodes/{node_id:uuid}/instructors",
        operation_id="AssignGroupInstructor",
        summary="Assign a township or community-branch instructor to a grid party group",
        guards=EDITOR,
    )
    async def assign(
        self, instructors: NamedDependency[InstructorService], node_id: FromPath[UUID], data: JSONBody[InstructorCreate]
    ) -> InstructorView:
        return await instructors.assign(node_id, data)

    @patch("/instructors/{instructor_id:uuid}", operation_id="EndGroupInstructor", summary="End a term", guards=EDITOR)
    async def end(
        self,
        instructors: NamedDependency[InstructorService],
        instructor_id: FromPath[UUID],
        data: JSONBody[InstructorEnd],
    ) -> InstructorView:
        return await instructors.end(instructor_id, data)

    @get(
        "/instructors/gaps",
        operation_id="InstructorGaps",
        summary="Grid party groups short of their instructors, the largest shortfall first",
    )
    async def gaps(
        self,
        instructors: NamedDependency[InstructorService],
        within: Annotated[UUID | None, QueryParameter()] = None,
    ) -> InstructorGapsView:
        return await instructors.gaps(within)
