"""Rounds, entries, objections and notices as the API shows them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from uuid import UUID

import msgspec

from services.training.ratings.models import RatingEntry, RatingObjection, RatingTemplate, StarRating
from services.training.ratings.rounds import Counts
from services.training.ratings.schemas import (
    Criterion,
    EntryView,
    Inputs,
    NoticeView,
    ObjectionView,
    RatingView,
    TemplateView,
)
from shared.http.views import view


def criteria(rating: StarRating) -> list[Criterion]:
    return msgspec.convert(rating.criteria, list[Criterion])


def rating_view(rating: StarRating, counts: Counts) -> RatingView:
    return view(
        RatingView,
        rating,
        criteria=criteria(rating),
        entry_count=counts.entries,
        open_objections=counts.open_objections,
    )


def entry_view(rating: StarRating, entry: RatingEntry, objections: int = 0) -> EntryView:
    return view(
        EntryView,
        entry,
        subject_kind=rating.subject_kind,
        inputs=view(Inputs, entry),
        objections=objections,
    )


def notice_view(rating: StarRating, entries: Sequence[RatingEntry], objections: Mapping[UUID, int]) -> NoticeView:
    return view(
        NoticeView,
        rating,
        criteria=criteria(rating),
        entries=[entry_view(rating, entry, objections.get(entry.id, 0)) for entry in entries],
    )


def objection_view(objection: RatingObjection, *, organiser: bool) -> ObjectionView:
    """Who raised it is the organisers' to know; the board shows the objection and its answer."""
    return view(ObjectionView, objection, raised_by_name=objection.raised_by_name if organiser else None)


def template_view(template: RatingTemplate) -> TemplateView:
    return view(TemplateView, template, criteria=msgspec.convert(template.criteria, list[Criterion]))
