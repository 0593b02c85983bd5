"""The sheets' column layouts (zh-CN headers, as the cadres read them) and the parsers of their cells.

Enumerations accept the zh-CN label or the API code (``自管党员`` or ``self_managed``); lists are
separated by ``、`` ``,`` ``;`` or spaces; dates by ``-`` ``/`` ``.`` or 年月日. A parser raises
``CellError`` with the message the row report shows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from services.orgtree.households.rules import HOUSEHOLD_CATEGORIES, PLAQUES
from services.orgtree.members.rules import CLASSIFICATIONS, INFO_CARD_FIELDS, MEMBER_FLAGS, POST_METHODS
from shared.clock import china_today


class BulkKind(StrEnum):
    UNITS = "units"
    MEMBERS = "members"
    HOUSEHOLDS = "households"
    LINKS = "links"


SHEET_TITLES = {BulkKind.UNITS: "单位", BulkKind.MEMBERS: "党员", BulkKind.HOUSEHOLDS: "户", BulkKind.LINKS: "联户关系"}
TREE_LABELS = {"administrative": "行政", "party": "党组织"}
RESTRICTED = "受限"  # what an export shows instead of a restricted household category
YES, NO = "是", "否"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False  # the column must be in the file and every row must fill it


UNIT_COLUMNS = (
    Column("tree", "树", required=True),
    Column("parent", "上级单位"),  # empty: directly under the district's root
    Column("name", "名称", required=True),
    Column("level", "层级", required=True),
    Column("linked", "对应行政单位"),  # party units only (ORG-02)
    Column("formation_basis", "组建依据"),  # grids only (ORG-06)
)
MEMBER_COLUMNS = (
    Column("name", "姓名", required=True),
    Column("id_card", "身份证号", required=True),
    Column("phone", "手机号"),
    Column("branch", "所在党组织", required=True),
    Column("grid", "所在网格"),
    Column("classification", "党员类别", required=True),
    Column("flags", "标记"),
    Column("joined_on", "入党日期"),
    Column("post", "岗位"),
    Column("post_method", "认岗方式"),
    *(Column(key, label) for key, label in INFO_CARD_FIELDS.items()),
)
HOUSEHOLD_COLUMNS = (
    Column("grid", "所在网格", required=True),
    Column("label", "户号", required=True),
    Column("head_name", "户主姓名"),
    Column("address", "地址"),
    Column("phone", "联系电话"),
    Column("categories", "户类别"),
    Column("is_member_hub", "党员中心户"),
    Column("plaque", "挂牌"),
    Column("plaque_issued_on", "挂牌日期"),
)
LINK_COLUMNS = (
    Column("id_card", "党员身份证号", required=True),
    Column("member_name", "党员姓名"),  # optional check: must match the member with that ID number
    Column("grid", "所在网格", required=True),
    Column("label", "户号", required=True),
    Column("since", "联系开始日期"),
)
COLUMNS = {
    BulkKind.UNITS: UNIT_COLUMNS,
    BulkKind.MEMBERS: MEMBER_COLUMNS,
    BulkKind.HOUSEHOLDS: HOUSEHOLD_COLUMNS,
    BulkKind.LINKS: LINK_COLUMNS,
}
# Re-exported for the importers, so the labels live in one place (the rules modules).
LABELS: dict[str, Mapping[str, str]] = {
    "classification": CLASSIFICATIONS,
    "flags": MEMBER_FLAGS,
    "post_method": POST_METHODS,
    "categories": HOUSEHOLD_CATEGORIES,
    "plaque": PLAQUES,
}


class CellError(ValueError):
    """A cell's value is wrong; the message is what the row report says."""


_FORMULA_START = ("=", "+", "-", "@")
_LIST_SEPARATORS = re.compile(r"[、,，;；\s]+")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_TRUE = {"是", "y", "yes", "true", "1", "√", "✓"}
_FALSE = {"否", "n", "no", "false", "0", "×", "✗"}


def text(value: object) -> str | None:
    """A cell as trimmed text; None when empty. Integral numbers lose Excel's ``.0``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    result = str(value).strip()
    if len(result) > 1 and result[0] == "'" and result[1] in _FORMULA_START:
        result = result[1:]  # an export's guard against formula injection (see ``safe_text``)
    return result or None


def safe_text(value: str) -> str:
    """Guard a CSV cell that a spreadsheet would run as a formula (the importer removes the quote again)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def limited(value: str, max_length: int) -> str:
    if len(value) > max_length:
        raise CellError(f"longer than {max_length} characters")
    return value


def choice(value: str, labels: Mapping[str, str]) -> str:
    """The code of a label (or of a code) in ``labels``, which maps code → zh-CN label."""
    if value in labels:
        return value
    for code, label in labels.items():
        if label == value:
            return code
    raise CellError(f"'{value}' is not one of: {'、'.join(labels.values())}")


def choices(value: str | None, labels: Mapping[str, str], *, ignore: frozenset[str] = frozenset()) -> list[str]:
    """Codes of a separated list of labels; duplicates dropped, order kept; values in ``ignore`` skipped."""
    codes: list[str] = []
    unknown: list[str] = []
    for item in _LIST_SEPARATORS.split(value or ""):
        if not item or item in ignore:
            continue
        try:
            code = choice(item, labels)
        except CellError:
            unknown.append(item)
            continue
        if code not in codes:
            codes.append(code)
    if unknown:
        raise CellError(f"unknown values {'、'.join(unknown)}; allowed: {'、'.join(labels.values())}")
    return codes


def parse_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = unicodedata.normalize("NFKC", str(value)).strip()
    match = _DATE.fullmatch(raw) or _COMPACT_DATE.fullmatch(raw)
    if match is None:
        raise CellError(f"'{raw}' is not a date (use 2024-05-01)")
    try:
        parsed = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise CellError(f"'{raw}' is not a real date") from None
    if parsed > china_today():
        raise CellError("lies in the future")
    return parsed


def parse_bool(value: str | None) -> bool:
    if value is None:
        return False
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise CellError(f"'{value}' is neither {YES} nor {NO}")


def identity_text(value: object) -> str | None:
    """An ID or phone number cell: text only, since Excel rounds an 18-digit number stored as a number."""
    if isinstance(value, float) and not value.is_integer():
        raise CellError("stored as a number with decimals; format the column as text")
    if isinstance(value, float) and abs(value) >= 1e15:
        raise CellError("stored as a number, which Excel rounds to 15 digits; format the column as text")
    found = text(value)
    return unicodedata.normalize("NFKC", found) if found is not None else None
