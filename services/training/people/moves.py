"""Orgtree moves reach training (``orgtree.UnitMoved``): one event per moved subtree, one range UPDATE per copy.

People hold their branch's and grid's paths as orgtree's member events gave them, and the rest of training places
its rows by the same paths (rolls, commitments, ratings, reviews...): every one under the old prefix reads the new
one after the move. A party unit's move rewrites branch paths, an administrative unit's grid paths; the other tree's
columns hold no path under the prefix, so their updates find nothing.

A replay finds nothing left under the old prefix. Left out: ``accountability_record`` (append-only by trigger: the
record stays as it was written) and ``xapi_statement`` (xAPI statements are immutable).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from services.training.assessments.models import DemocraticPoll, ScoreSheet
from services.training.bases.models import BaseBooking, OrgLifeBase
from services.training.commitments.models import Commitment
from services.training.credits.models import CreditRoll
from services.training.events import consumer
from services.training.people.models import Person
from services.training.programmes.models import TrainingSession
from services.training.ratings.models import Award, RatingEntry, StarRating
from services.training.rectification.models import RectificationItem
from services.training.redflag.models import RedFlagEvaluation
from services.training.reports.models import MonthlyReport
from services.training.reviews.models import DutyReview, ReviewRound
from shared.contracts.orgtree import UnitMoved
from shared.db.paths import rehang_all

PATH_COPIES: tuple[InstrumentedAttribute[str] | InstrumentedAttribute[str | None], ...] = (
    Person.branch_path,
    Person.grid_path,
    CreditRoll.branch_path,
    CreditRoll.grid_path,
    MonthlyReport.branch_path,
    MonthlyReport.grid_path,
    Commitment.holder_path,
    Commitment.branch_path,
    TrainingSession.organiser_unit_path,
    ScoreSheet.subject_path,
    DemocraticPoll.subject_path,
    OrgLifeBase.unit_path,
    BaseBooking.branch_path,
    StarRating.unit_path,
    RatingEntry.subject_path,
    Award.subject_path,
    RectificationItem.unit_path,
    RedFlagEvaluation.unit_path,
    ReviewRound.unit_path,
    DutyReview.branch_path,
)


@consumer.on(UnitMoved)
async def unit_moved(session: AsyncSession, event: UnitMoved) -> None:
    await rehang_all(session, PATH_COPIES, event.old_path, event.new_path)
