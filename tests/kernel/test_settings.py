from __future__ import annotations

import base64

import pytest
from pydantic import ValidationError

from shared.settings import Settings


def test_production_refuses_the_development_master_key() -> None:
    with pytest.raises(ValidationError, match="REDCELL_MASTER_KEY"):
        Settings(env="prod")
    key = base64.b64encode(b"p" * 32).decode()
    assert Settings(env="prod", master_key=key).master_key_bytes() == b"p" * 32  # type: ignore[arg-type]


def test_master_key_must_be_32_bytes() -> None:
    with pytest.raises(ValidationError, match="32 bytes"):
        Settings(master_key=base64.b64encode(b"short").decode())  # type: ignore[arg-type]
