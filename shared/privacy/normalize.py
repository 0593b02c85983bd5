"""Canonical forms of personal values, so one person's number indexes the same however it was typed."""

from __future__ import annotations

import re
import unicodedata

_PHONE_SEPARATORS = re.compile(r"[\s\-().·]")
_MAINLAND_PREFIX = re.compile(r"^(?:\+86|0086|86)(?=1\d{10}$)")
_WHITESPACE = re.compile(r"\s+")


def normalize_text(value: str) -> str:
    """NFKC (full-width forms to ASCII), trimmed, inner whitespace collapsed."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", value)).strip()


def normalize_phone(value: str) -> str:
    """Digits only, without spaces, dashes or the mainland country code (``+86 138-1234-5678`` -> ``13812345678``).

    The ``86`` prefix is dropped only before an 11-digit mobile number, so landlines and foreign
    numbers keep their leading digits.
    """
    compact = _PHONE_SEPARATORS.sub("", unicodedata.normalize("NFKC", value))
    return _MAINLAND_PREFIX.sub("", compact)


def normalize_id_card(value: str) -> str:
    """Resident ID number without spaces, check character upper-cased (``x`` and ``X`` are the same)."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", value)).upper()
