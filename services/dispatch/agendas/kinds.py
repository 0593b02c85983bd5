"""The meetings that take up cases (domain-from-seeds 8.x): who meets, how often, and which rungs of the district's
escalation ladder their agenda draws from. A ladder edited so that it lacks the named rungs falls back to every
rung answered at the meeting's org levels."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MeetingKind:
    code: str
    name: str
    unit_level: str  # village | street: whose meeting it is
    cadence: str  # monthly | half_monthly | weekly | as_needed
    rungs: tuple[str, ...]  # ladder codes whose open cases it takes up
    org_levels: tuple[str, ...]  # the fallback: rungs answered at these org levels


KINDS: dict[str, MeetingKind] = {
    kind.code: kind
    for kind in (
        MeetingKind("issue_meeting", "红领提事会", "village", "monthly", ("village_meeting",), ("village",)),
        MeetingKind("member_council", "党员议事会", "village", "as_needed", ("member_council",), ("village",)),
        MeetingKind("supervision_meeting", "红色细胞督办会", "street", "monthly", ("street_supervision",), ("street",)),
        MeetingKind("street_analysis", "民情分析协调会", "street", "half_monthly", (), ("street",)),
        # the weekly talk listens to every case of the community not yet gone up to the street
        MeetingKind("democratic_talk", "民主恳谈会", "village", "weekly", (), ("grid", "village")),
    )
}
