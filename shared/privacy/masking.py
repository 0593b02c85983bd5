"""Default display forms of personal values: enough to recognise, not enough to identify.

Rules (one place, so every screen and export masks alike):

- phone: first 3 and last 4 digits (``138****5678``); shorter numbers keep only the last 4.
- ID number: first 3 and last 4 characters, same length (``110***********1234``). The first 6 digits
  name the county of registration, which in a district system nearly identifies a person together
  with a name, so only the province-and-city prefix is kept.
- name: the first character (the surname, in most Chinese names), one ``*`` per further character.
- address: the province, city and county prefix, then a fixed ``****`` (its length would hint at the
  detail); an address without a recognisable prefix is masked entirely.
"""

from __future__ import annotations

import re
import unicodedata

from shared.privacy.normalize import normalize_id_card, normalize_phone, normalize_text

MASK = "*"
ADDRESS_MASK = "****"

# Administrative prefix: optional province, city and county units. Segments may not contain digits or
# characters typical of street-level detail (路, 号, 村, ...), so "文昌路超市" is not taken for a city, and
# the 区 of a residential compound or campus (小区, 社区, 园区, ...) does not end a county.
_SEGMENT = r"[^\d路街道巷弄号村组幢栋楼室单元{stop}]{{1,9}}?"
_ADDRESS_PREFIX = re.compile(
    "^"
    rf"(?P<province>{_SEGMENT.format(stop='省')}(?:省|自治区|特别行政区))?"
    rf"(?P<city>{_SEGMENT.format(stop='市')}(?:(?<!超)市|自治州|地区|盟))?"
    rf"(?P<county>{_SEGMENT.format(stop='区县旗市')}(?:(?<![小社园校景片厂])区|县|旗|(?<!超)市))?"
)


def _keep_ends(value: str, head: int, tail: int) -> str:
    if len(value) <= tail:
        return MASK * len(value)
    if len(value) <= head + tail:
        return MASK * (len(value) - tail) + value[-tail:]
    return value[:head] + MASK * (len(value) - head - tail) + value[-tail:]


def mask_phone(value: str) -> str:
    """``13812345678`` -> ``138****5678`` (input normalised first, so ``+86 138-1234-5678`` masks alike)."""
    return _keep_ends(normalize_phone(value), 3, 4)


def mask_id_card(value: str) -> str:
    """``110105194912310021`` -> ``110***********0021``."""
    return _keep_ends(normalize_id_card(value), 3, 4)


def mask_name(value: str) -> str:
    """``张三丰`` -> ``张**``; ``张三`` -> ``张*``; a single character is masked entirely."""
    name = normalize_text(value)
    if len(name) <= 1:
        return MASK * len(name)
    return name[0] + MASK * (len(name) - 1)


def mask_address(value: str) -> str:
    """``浙江省嘉兴市南湖区建设街道文昌路123号`` -> ``浙江省嘉兴市南湖区****``."""
    address = unicodedata.normalize("NFKC", value).strip()
    if not address:
        return ""
    match = _ADDRESS_PREFIX.match(address)
    groups = match.groupdict() if match else {}
    # A county-level unit alone is not trusted ("幸福小区" ends in 区 too): it needs a province or city before it.
    if not (groups.get("province") or groups.get("city")):
        return ADDRESS_MASK
    prefix = "".join(part for part in (groups["province"], groups["city"], groups["county"]) if part)
    if prefix == address:
        return prefix
    return prefix + ADDRESS_MASK
