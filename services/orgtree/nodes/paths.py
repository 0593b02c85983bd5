"""Materialised paths: ``/seg/seg/`` strings in C collation; a subtree is a btree range on the prefix."""

from __future__ import annotations

import secrets

SEGMENT_HEX = 8


def new_segment() -> str:
    return secrets.token_hex(SEGMENT_HEX // 2)


def child_path(parent_path: str, segment: str) -> str:
    return f"{parent_path}{segment}/"


def root_path(segment: str) -> str:
    return f"/{segment}/"


def ancestor_paths(path: str) -> list[str]:
    """``/a/b/c/`` -> ``["/a/", "/a/b/", "/a/b/c/"]``: every ancestor's path, root first, the node last."""
    segments = path.strip("/").split("/")
    return ["/" + "/".join(segments[: i + 1]) + "/" for i in range(len(segments))]


def subtree_upper_bound(path: str) -> str:
    """Exclusive upper bound of ``path``'s subtree: '~' sorts after every segment character in C collation."""
    return path + "~"
