"""Who may do what in training records (GW-04), on top of RLS's district boundary."""

from __future__ import annotations

from shared.auth.principal import Role

# Who organises programmes and sessions and keeps the records: district and street staff, community cadres.
ORGANISERS = (Role.DISTRICT_ADMIN, Role.STREET_ADMIN, Role.COMMUNITY_CADRE)
# Who reads the records of the units under their scope (grid leaders follow their grid's members).
READERS = (*ORGANISERS, Role.GRID_LEADER)
# Who checks themselves in and reads their own record.
ATTENDEES = (Role.MEMBER, Role.VOLUNTEER)
