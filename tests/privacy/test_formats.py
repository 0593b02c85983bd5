"""Validators, normalisers and masking (pure functions)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from shared.privacy import (
    id_card_birth_date,
    id_card_check_digit,
    mask_address,
    mask_id_card,
    mask_name,
    mask_phone,
    normalize_id_card,
    normalize_phone,
    validate_id_card,
    validate_mobile,
)

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def check_digit(first17: str) -> str:
    """GB 11643-1999 written out independently of the code under test."""
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def test_check_digit_matches_the_standard() -> None:
    base = "11010519491231002"
    assert check_digit(base) == "X"  # the standard's own example: 11010519491231002X
    assert id_card_check_digit(base) == "X"
    assert id_card_check_digit("33040219900307123") == check_digit("33040219900307123")


def test_validate_id_card() -> None:
    valid = "11010519491231002" + check_digit("11010519491231002")
    assert validate_id_card(valid)
    assert validate_id_card(valid.lower())  # x and X are the same
    assert validate_id_card(" 110105 19491231 002X ")
    assert id_card_birth_date(valid) == date(1949, 12, 31)

    wrong = "110105194912310021"
    assert not validate_id_card(wrong)

    bad_date = "11010519491332002"  # month 13, with a correct check digit
    assert not validate_id_card(bad_date + check_digit(bad_date))
    feb30 = "11010520000230002"
    assert not validate_id_card(feb30 + check_digit(feb30))
    future = "110105" + (date.today() + timedelta(days=400)).strftime("%Y%m%d") + "002"
    assert not validate_id_card(future + check_digit(future))
    too_old = "11010518991231002"
    assert not validate_id_card(too_old + check_digit(too_old))

    assert not validate_id_card("110105491231002")  # 15-digit legacy form
    assert not validate_id_card("")
    zero = "01010519491231002"
    assert not validate_id_card(zero + check_digit(zero))


def test_validate_id_card_normalises_full_width() -> None:
    assert validate_id_card("１１０１０５１９４９１２３１００２Ｘ")


def test_validate_mobile() -> None:
    for good in ("13812345678", "19912345678", "+86 138-1234-5678", "0086 13812345678", "１３８１２３４５６７８"):
        assert validate_mobile(good), good
    for bad in ("12812345678", "1381234567", "138123456789", "23812345678", "0573-8212345", "", "138abcd5678"):
        assert not validate_mobile(bad), bad


def test_normalisers() -> None:
    assert normalize_phone("+86 (138) 1234-5678") == "13812345678"
    assert normalize_phone("0573-82123456") == "057382123456"  # landline keeps its area code
    assert normalize_phone("86 0573 1234") == "8605731234"  # 86 stripped only before a mobile number
    assert normalize_id_card(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+86 138-1234-5678", "138****5678"),
        ("057382123456", "057*****3456"),
        ("123", "***"),
    ],
)
def test_mask_phone(value: str, masked: str) -> None:
    assert mask_phone(value) == masked


def test_mask_id_card() -> None:
    assert mask_id_card("11010519491231002x") == "110***********002X"
    assert len(mask_id_card("11010519491231002X")) == 18


def test_mask_name() -> None:
    assert mask_name("张三丰") == "张**"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("张") == "*"
    assert mask_name("") == ""


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("浙江省嘉兴市南湖区建设街道文昌路123号2幢301室", "浙江省嘉兴市南湖区****"),
        ("北京市朝阳区建国路88号", "北京市朝阳区****"),
        ("上海市浦东新区张江镇", "上海市浦东新区****"),
        ("浙江省嘉兴市海宁市硖石街道", "浙江省嘉兴市海宁市****"),
        ("新疆维吾尔自治区乌鲁木齐市天山区人民路1号", "新疆维吾尔自治区乌鲁木齐市天山区****"),
        ("浙江省嘉兴市幸福小区5幢", "浙江省嘉兴市****"),  # a compound is not a county
        ("文昌路幸福小区3幢", "****"),  # no administrative prefix: masked entirely
        ("广东省深圳市", "广东省深圳市"),
        ("", ""),
    ],
)
def test_mask_address(address: str, masked: str) -> None:
    assert mask_address(address) == masked
