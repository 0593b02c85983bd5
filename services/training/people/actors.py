"""Event handlers of the training service (people): orgtree's members kept in step (EVT-10)."""

from __future__ import annotations

from services.training.events import consumer
from services.training.people import services as people
from shared.contracts import orgtree

consumer.on(orgtree.MemberCreated)(people.member_created)
consumer.on(orgtree.MemberUpdated)(people.member_updated)
consumer.on(orgtree.MemberTransferred)(people.member_transferred)
consumer.on(orgtree.MemberRemoved)(people.member_removed)
consumer.on(orgtree.CadrePostingChanged)(people.cadre_posting_changed)
