"""The district's LRS settings as the API shows and takes them (camelCase); the password is never shown."""

from __future__ import annotations

from datetime import datetime

import msgspec


class LrsSettingsInput(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    endpoint: str  # the LRS's xAPI base, e.g. https://lrs.example.org/xapi/ ("statements" is appended)
    username: str
    password: str | None = None  # required the first time; left out, the stored one is kept
    enabled: bool = True


class LrsSettingsView(msgspec.Struct, kw_only=True, rename="camel"):
    endpoint: str
    username: str
    password_set: bool
    enabled: bool
    updated_at: datetime
    # what is waiting for this LRS: statements not pushed yet, and the last error of the oldest of them
    unpushed: int
    last_error: str | None
