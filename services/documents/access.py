"""Who may read and write documents (DOC-02, GW-04), on top of RLS's district boundary.

A document hangs on an org unit and/or a subject; its ``anchor_path`` is the subject's path when it has one (a
ticket's grid, a member's grid or branch) and the unit's path otherwise ('/' for the whole district). Staff read
what lies under their scope; members, volunteers and residents read what they added and what is about themselves.
``library/visibility.py`` turns this into the SQL every read (get, list, search, download) filters by.
"""

from __future__ import annotations

from shared.auth.principal import Role

# Staff who read the documents under their scope and file documents on units under it.
STAFF = (Role.DISTRICT_ADMIN, Role.STREET_ADMIN, Role.COMMUNITY_CADRE, Role.GRID_LEADER)
# Who manages the district's registry (types, retention classes, templates, boards) and holds: the district admin.
REGISTRARS = (Role.DISTRICT_ADMIN,)
# The hotline reads and files documents about tickets (referral notices, callback records, evidence), district-wide.
HOTLINE = (Role.HOTLINE_OPERATOR, Role.HOTLINE_SUPERVISOR)
# People who add documents about themselves or their orders and read those.
SELF = (Role.MEMBER, Role.VOLUNTEER, Role.RESIDENT)
READERS = (*STAFF, *HOTLINE, *SELF)
