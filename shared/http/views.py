"""Response structs built from rows by attribute name, instead of copying fields one by one.

``view(MemberView, member, id_card=member.id_card_masked)``: every field of the struct is read from the
row's attribute of the same (Python) name, except those given, which is where masked copies and computed
values go; a field the row lacks keeps the struct's default. The struct is constructed directly (as the
hand-written copies did), so a page of fifty 31-field tickets costs no more than before.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

import msgspec

S = TypeVar("S", bound=msgspec.Struct)
_ABSENT = object()


@cache
def _fields(struct_type: type[msgspec.Struct]) -> tuple[str, ...]:
    return struct_type.__struct_fields__


def view(struct_type: type[S], source: object, **fields: Any) -> S:
    values = {}
    for name in _fields(struct_type):
        value = fields[name] if name in fields else getattr(source, name, _ABSENT)
        if value is not _ABSENT:
            values[name] = value
    return struct_type(**values)


def views(struct_type: type[S], sources: Any) -> list[S]:
    return [view(struct_type, source) for source in sources]
