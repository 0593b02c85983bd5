"""Event handlers of the dispatch service (directory): orgtree's facts kept in step (EVT-10, EVT-11).

They arrive on dispatch's sync lane (shared/contracts/routing.py), in batches; the bulk ones have a batch form.
"""

from __future__ import annotations

from services.dispatch.directory import services as directory
from services.dispatch.events import consumer
from shared.contracts import orgtree

consumer.on(orgtree.GridCreated)(directory.grid_created)
consumer.on(orgtree.GridLeaderChanged)(directory.grid_leader_changed)
consumer.on(orgtree.HouseholdPlaced)(directory.household_placed)
consumer.on(orgtree.HouseholdLinked)(directory.household_linked)
consumer.on(orgtree.HouseholdUnlinked)(directory.household_unlinked)
consumer.on(orgtree.MemberCreated)(directory.member_created)
consumer.on(orgtree.MemberUpdated)(directory.member_updated)
consumer.on(orgtree.MemberTransferred)(directory.member_transferred)
consumer.on(orgtree.MemberRemoved)(directory.member_removed)

consumer.on_batch(orgtree.GridCreated)(directory.grids_created)
consumer.on_batch(orgtree.HouseholdPlaced)(directory.households_placed)
consumer.on_batch(orgtree.HouseholdLinked)(directory.households_linked)
consumer.on_batch(orgtree.MemberCreated)(directory.members_created)
