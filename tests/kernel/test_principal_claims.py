"""A verified token becomes a Principal: the display name (``name``) rides along for services to record."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from shared.auth.principal import Role
from shared.auth.verify import InvalidTokenError, principal_from_claims


def claims(**extra: Any) -> dict[str, Any]:
    return {
        "sub": str(uuid.uuid4()),
        "tenant": str(uuid.uuid4()),
        "roles": ["hotline_supervisor"],
        "jti": "j1",
        "typ": "access",
        **extra,
    }


def test_the_display_name_is_read_from_the_token() -> None:
    principal = principal_from_claims(claims(name="王丽"))
    assert principal.name == "王丽"
    assert principal.has_role(Role.HOTLINE_SUPERVISOR)
    assert principal_from_claims(claims()).name is None  # tokens issued before names were added
    assert principal_from_claims(claims(name="")).name is None


@pytest.mark.parametrize("name", [7, ["王丽"], {"zh": "王丽"}])
def test_a_name_that_is_not_text_makes_the_token_invalid(name: object) -> None:
    with pytest.raises(InvalidTokenError):
        principal_from_claims(claims(name=name))
