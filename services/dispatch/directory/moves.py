"""Orgtree moves reach dispatch (``orgtree.UnitMoved``): a re-hung unit takes its subtree's copies along.

One event per moved subtree. Every path dispatch copied from orgtree that lies under the old prefix is rewritten to
the new one, one set-based range UPDATE per table; the directory's grids also get their new chain of units above
the moved unit, which the ladder (``escalation/ladder.py``) and the reports read. An open ticket of a moved grid
answering at a rung above the grid is handed to the unit at that rung in the new chain, with a history row.

The latest move applied per unit is kept (``directory_unit_move``): the same event again, or a move of the unit
older than the one already applied (a late delivery), changes nothing.
"""

from __future__ import annotations

import json
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from services.dispatch.agendas.models import Meeting
from services.dispatch.archive.models import HouseholdArchive
from services.dispatch.campaigns.models import CampaignDay
from services.dispatch.catalogue.defaults import ORG_LEVELS
from services.dispatch.devices.models import EmergencyDevice
from services.dispatch.directory.models import DirectoryUnitMove
from services.dispatch.events import consumer
from services.dispatch.fund.models import FundEntry
from services.dispatch.numbers.models import HotlineNumber
from services.dispatch.proposals.models import Proposal
from services.dispatch.returns.models import TicketReturn
from services.dispatch.seasons.models import SeasonActivity, TeaPoint
from services.dispatch.stations.models import Station
from services.dispatch.swap.models import SwapEvent, SwapItem
from services.dispatch.tickets.models import OPEN_STATUSES, Ticket
from services.dispatch.visits.models import Visit, VisitTask
from services.dispatch.vulnerable.models import VulnerableHousehold
from shared.context import require_tenant
from shared.contracts.orgtree import UnitMoved
from shared.db.paths import rehang_all

ACTOR = "system:dispatch-directory"  # shown as 「系统（组织架构同步）」 (tickets/history.py)
HANDED_OVER = "组织架构调整:网格所属单位变更,由新的上级单位承办"

# Copies of orgtree paths that place a row in the tree for staff scopes (ranges of C-collated paths), besides the
# directory's grids (``_GRIDS``). History that names a unit by id (escalation steps, rulings) keeps its ids; these
# are where the row lies now.
PATH_COPIES: tuple[InstrumentedAttribute[str] | InstrumentedAttribute[str | None], ...] = (
    Ticket.grid_path,
    VulnerableHousehold.grid_path,
    HouseholdArchive.grid_path,
    EmergencyDevice.grid_path,
    Visit.grid_path,
    VisitTask.grid_path,
    Station.unit_path,
    HotlineNumber.unit_path,
    Proposal.community_path,
    SwapItem.community_path,
    SwapEvent.unit_path,
    FundEntry.village_path,
    CampaignDay.unit_path,
    Meeting.unit_path,
    SeasonActivity.unit_path,
    TeaPoint.unit_path,
    TicketReturn.returning_unit_path,
    TicketReturn.ruling_unit_path,
)

# The directory's grids of the moved subtree, in one statement: their new paths, and the unit's new chain above it
# (the moved unit stays with what follows it in each grid's chain).
_MOVE_GRIDS = """
    UPDATE directory_grid
       SET path = CAST(:new_path AS text) || substr(path, length(CAST(:old_path AS text)) + 1),
           ancestors = CAST(:chain AS jsonb)
                       || CASE WHEN grid_id = :unit THEN '[]'::jsonb
                               ELSE jsonb_path_query_array(ancestors, '$[$from to last]',
                                                           jsonb_build_object('from', CAST(:depth AS integer) - 1))
                          END
     WHERE path >= :old_path AND path < :old_path || '~'
    """
_GRIDS = text(_MOVE_GRIDS)
_GRIDS_WRITTEN = text(_MOVE_GRIDS + " AND grid_id = ANY(:grids)")  # only the grids a GridCreated batch just wrote
_RECORDED = text(
    "SELECT unit_id, old_path, new_path, chain FROM directory_unit_move WHERE old_path IS NOT NULL ORDER BY moved_at"
)


def _move_of_grids(unit: object, old_path: str, new_path: str, chain: str) -> dict[str, object]:
    """``_GRIDS``'s parameters; a grid's ancestors hold one entry per path segment above it, so the moved unit is
    entry ``depth - 1`` of its old path's depth."""
    depth = len(old_path.strip("/").split("/"))
    return {"unit": unit, "old_path": old_path, "new_path": new_path, "chain": chain, "depth": depth}


# Open tickets of the moved grids held at a rung above the grid: the unit answering at that rung (the nearest
# ancestor of a level the rung's org level names, as ``escalation.ladder.unit_at`` finds it) in the new chain. Each
# changed ticket gets a history row saying why, in the same statement.
_HAND_OVER = text(
    """
    WITH answerable AS (
        SELECT t.id, t.unit_id AS before,
               (SELECT (a.e ->> 'id')::uuid
                  FROM jsonb_array_elements(g.ancestors) WITH ORDINALITY AS a(e, o)
                 WHERE coalesce(CAST(:levels AS jsonb) -> l.org_level, jsonb_build_array(l.org_level))
                       @> to_jsonb(a.e ->> 'level')
                 ORDER BY a.o DESC LIMIT 1) AS after
          FROM ticket t
          JOIN directory_grid g ON g.grid_id = t.grid_id
          JOIN ladder_level l ON l.rank = t.level_rank AND l.org_level <> 'grid'
         WHERE t.grid_path >= :path AND t.grid_path < :path || '~' AND t.status = ANY(:open)
    ),
    handed AS (
        UPDATE ticket t SET unit_id = answerable.after
          FROM answerable
         WHERE t.id = answerable.id AND answerable.after IS NOT NULL
           AND t.unit_id IS DISTINCT FROM answerable.after
        RETURNING t.id, t.tenant_id, answerable.before, answerable.after
    )
    INSERT INTO ticket_history (tenant_id, id, ticket_id, action, actor, actor_kind, at, from_status, to_status,
                                from_level, to_level, reason, details)
    SELECT tenant_id, gen_random_uuid(), id, 'unit_moved', :actor, 'system', now(), NULL, NULL, NULL, NULL, :reason,
           jsonb_build_object('fromUnitId', before, 'unitId', after, 'movedUnitId', CAST(:unit AS text))
      FROM handed
    """
)


def _chain(event: UnitMoved) -> list[dict[str, str]]:
    return [{"id": str(u.id), "level": u.level, "name": u.name} for u in event.ancestors]


async def _claim(session: AsyncSession, event: UnitMoved) -> bool:
    """Record this move as the unit's latest; False if the same or a later one was applied already."""
    kept = {"moved_at": event.moved_at, "old_path": event.old_path, "new_path": event.new_path, "chain": _chain(event)}
    insert = pg_insert(DirectoryUnitMove).values(tenant_id=require_tenant(), unit_id=event.unit_id, **kept)
    claimed = await session.execute(
        insert.on_conflict_do_update(
            index_elements=[DirectoryUnitMove.unit_id],
            set_={name: insert.excluded[name] for name in kept},
            where=DirectoryUnitMove.moved_at < insert.excluded.moved_at,
        ).returning(DirectoryUnitMove.unit_id)
    )
    return claimed.first() is not None


async def follow_recorded_moves(session: AsyncSession, written: dict[UUID, str]) -> None:
    """Grids just written from ``GridCreated`` events (id → path), which carry the path at the grid's creation, take
    every move kept since, oldest first: a grid created before a move lands where the move put it. The paths are
    followed here, so only a move that covers one of these grids is sent (usually none of the district's moves)."""
    paths = dict(written)
    for unit, old_path, new_path, chain in (await session.execute(_RECORDED)).all():
        covered = [grid for grid, path in paths.items() if path.startswith(old_path)]
        if not covered:
            continue
        for grid in covered:
            paths[grid] = new_path + paths[grid][len(old_path) :]
        moved = _move_of_grids(unit, old_path, new_path, json.dumps(chain, ensure_ascii=False))
        await session.execute(_GRIDS_WRITTEN, moved | {"grids": covered})


@consumer.on(UnitMoved)
async def unit_moved(session: AsyncSession, event: UnitMoved) -> None:
    if event.old_path == event.new_path or not await _claim(session, event):
        return
    await rehang_all(session, PATH_COPIES, event.old_path, event.new_path)
    chain = json.dumps(_chain(event), ensure_ascii=False)
    await session.execute(_GRIDS, _move_of_grids(event.unit_id, event.old_path, event.new_path, chain))
    await session.execute(
        _HAND_OVER,
        {
            "levels": json.dumps(ORG_LEVELS),
            "path": event.new_path,
            "open": [str(status) for status in OPEN_STATUSES],
            "actor": ACTOR,
            "reason": HANDED_OVER,
            "unit": str(event.unit_id),
        },
    )
