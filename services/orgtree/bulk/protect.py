"""Reading back what an export shows: masked values stand for "not given", never for the real ones."""

from __future__ import annotations


def is_masked(value: str) -> bool:
    """A value as an export shows it (``张*``, ``138****5678``, ``浙江省温州市****``): not the real one."""
    return "*" in value
