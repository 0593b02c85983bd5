"""The monthly draw (Fuzhou: 每月随机抽取5名): a seeded sample of the eligible secretaries, sorted by person id first,
so that the round's seed and candidate list give the same draw again."""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from uuid import UUID


def new_seed() -> int:
    return secrets.randbits(62)


def draw(candidates: Sequence[UUID], seed: int, count: int) -> list[UUID]:
    """``count`` of ``candidates`` (all of them when fewer), in draw order."""
    ordered = sorted(candidates, key=str)
    return random.Random(seed).sample(ordered, min(count, len(ordered)))  # a fair draw, not a secret


def previous_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"
