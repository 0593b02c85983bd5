"""Response structs built from rows by attribute name, instead of copying fields one by one.

``view(MemberView, member, id_card=member.id_card_masked)``: every field of the struct is read from the
row's attribute of the same (Python) name, except those given, which is where masked copies and computed
values go. msgspec checks every value against the struct's types, so a mismatch fails loudly.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

S = TypeVar("S", bound=msgspec.Struct)


class _Overlay:
    """``source`` with some attributes replaced."""

    __slots__ = ("_fields", "_source")

    def __init__(self, source: object, fields: dict[str, Any]) -> None:
        self._source = source
        self._fields = fields

    def __getattr__(self, name: str) -> Any:
        fields = self._fields
        return fields[name] if name in fields else getattr(self._source, name)


def view(struct_type: type[S], source: object, **fields: Any) -> S:
    return msgspec.convert(_Overlay(source, fields) if fields else source, struct_type, from_attributes=True)


def views(struct_type: type[S], sources: Any) -> list[S]:
    return [msgspec.convert(source, struct_type, from_attributes=True) for source in sources]
