"""What the admin area shows in words: roles, the audit log's services, actions and subjects, and the gateway's
refusals of a user change."""

from __future__ import annotations

from services.console.i18n import N_

# Roles a district administrator may give, in the order the form lists them.
ROLES = {
    "district_admin": N_("District administrator"),
    "street_admin": N_("Street administrator"),
    "community_cadre": N_("Community cadre"),
    "grid_leader": N_("Grid leader"),
    "member": N_("Party member"),
    "hotline_operator": N_("Hotline operator"),
    "hotline_supervisor": N_("Hotline supervisor"),
    "volunteer": N_("Volunteer"),
}
# Where each service's audit log is read (shared/http/audit_log.py), in the filter's order.
AUDIT_SOURCES = {
    "gateway": "/admin/audit",
    "orgtree": "/api/orgtree/audit",
    "dispatch": "/api/dispatch/audit",
    "training": "/api/training/audit",
    "documents": "/api/documents/audit",
}
SERVICES = {
    "gateway": N_("Sign-in and users"),
    "orgtree": N_("Organisation and members"),
    "dispatch": N_("Hotline"),
    "training": N_("Training"),
    "documents": N_("Documents"),
}
# The actions an administrator looks for most; any other is shown as recorded.
ACTIONS = {
    "personal_data.revealed": N_("Personal data revealed"),
    "auth.login.succeeded": N_("Signed in"),
    "auth.login.failed": N_("Sign-in failed"),
    "auth.login.refused": N_("Sign-in refused (locked or suspended)"),
    "auth.logout": N_("Signed out"),
    "user.joined_district": N_("User added"),
    "user.changed": N_("User changed"),
    "user.locked": N_("User locked"),
    "user.unlocked": N_("User unlocked"),
    "user.totp_reset": N_("One-time code reset"),
    "auth.totp.enabled": N_("One-time code enrolled"),
}
SUBJECTS = {
    "member": N_("Member"),
    "household": N_("Household"),
    "user": N_("User"),
    "tenant": N_("District"),
    "ticket": N_("Ticket"),
    "document": N_("Document"),
}
FIELDS = {"phone": N_("Phone"), "idCard": N_("ID number"), "id_card": N_("ID number"), "address": N_("Address")}
# The gateway's words (gateway/tenants/users.py, services.py) and what the console says for them.
REFUSALS = {
    "you cannot lock yourself out: ask another district administrator": N_(
        "You cannot lock yourself out. Ask another district administrator."
    ),
    "you cannot drop your own district administrator role": N_("You cannot drop your own district administrator role."),
    "you cannot confine your own account to part of the district": N_(
        "You cannot confine your own account to part of the district."
    ),
    "ask another district administrator to reset your own one-time code": N_(
        "Ask another district administrator to reset your own one-time code."
    ),
    "this username is taken": N_("This username is taken."),
    "taken": N_("This username is taken."),
    "at least 10 characters": N_("The password needs at least 10 characters."),
}
BY_FIELD = {
    "username": N_("Use 3 to 80 letters, digits or . _ @ -"),
    "password": N_("The password needs at least 10 characters."),
    "roles": N_("Choose at least one role."),
    "displayName": N_("Enter the name the user is shown by."),
    "scope": N_("Choose a street or community of the district."),
}
