"""Dispatch's codes that several areas show (a ticket's channel and priority), as catalogue ids translated in the
templates with ``_``: one list, so the desk, a call, a ticket and the phone page name a code alike.

The codes are dispatch's (tickets/models.py ``Channel``, ``Priority``); the Chinese is in this module's catalogue,
``locale/zh_CN/LC_MESSAGES/dispatch_labels.po``.
"""

from __future__ import annotations

from services.console.i18n import N_

# in the order a form offers them: a call comes in by phone, the usual channels next
CHANNELS = {
    "phone": N_("Phone"),
    "web": N_("Web"),
    "sms": N_("SMS"),
    "one_touch": N_("One-touch call"),
    "walk_in": N_("Walk-in at a station"),
    "visit": N_("Micro-visit"),
    "wish_wall": N_("Wish wall"),
    "chat_group": N_("Chat group"),
    "proposal_box": N_("Proposal box"),
    "delegate": N_("Delegate or studio"),
    "meeting": N_("Raised at a meeting"),
}
PRIORITIES = {"normal": N_("Normal"), "urgent": N_("Urgent"), "emergency": N_("Emergency")}
