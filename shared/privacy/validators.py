"""Format checks for mainland resident ID numbers (GB 11643-1999) and mobile numbers."""

from __future__ import annotations

import re
from datetime import date

from shared.clock import china_today
from shared.privacy.normalize import normalize_id_card, normalize_phone

_ID_CARD = re.compile(r"\d{17}[\dX]")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_EARLIEST_BIRTH_YEAR = 1900


def id_card_check_digit(first17: str) -> str:
    """The 18th character of a resident ID number: ISO 7064 MOD 11-2 over the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        msg = "expected the first 17 digits of an ID number"
        raise ValueError(msg)
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def id_card_birth_date(value: str) -> date | None:
    """Birth date encoded in positions 7-14, or None when it is not a real, past date after 1900."""
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None
    if born.year < _EARLIEST_BIRTH_YEAR or born > china_today():
        return None
    return born


def validate_id_card(value: str) -> bool:
    """True for an 18-character resident ID number with a correct check character and a plausible birth date.

    Input is normalised first (spaces dropped, ``x`` upper-cased). Legacy 15-digit numbers are refused:
    they have no check character and were replaced in 2013.
    """
    number = normalize_id_card(value)
    if not _ID_CARD.fullmatch(number) or number[0] == "0":
        return False
    return id_card_check_digit(number[:17]) == number[17] and id_card_birth_date(number) is not None


def validate_mobile(value: str) -> bool:
    """True for a mainland mobile number (``1[3-9]`` and 9 more digits), after normalisation."""
    return _MOBILE.fullmatch(normalize_phone(value)) is not None
