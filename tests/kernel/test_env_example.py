"""deploy/env.example lists every setting a component reads, with the default the code really has."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr

from gateway.proxy.settings import ProxySettings
from services.console.settings import ConsoleSettings
from services.dispatch.settings import DispatchProcessSettings
from services.documents.settings import DocumentsProcessSettings
from services.training.settings import TrainingProcessSettings
from shared.settings import Settings

EXAMPLE = Path(__file__).parents[2] / "deploy" / "env.example"
CLI_VARIABLES = {"REDCELL_HOST", "REDCELL_PORT", "REDCELL_WORKERS"}  # read by `redcell api` itself


def settings_variables(model: type[BaseModel], prefix: str) -> Iterator[tuple[str, Any]]:
    for name, field in model.model_fields.items():
        kind = field.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            yield from settings_variables(kind, f"{prefix}{name.upper()}__")
        else:
            yield f"{prefix}{name.upper()}", field.get_default(call_default_factory=True)


def example() -> dict[str, str]:
    entries = {}
    for line in EXAMPLE.read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, rest = line.partition("=")
            entries[name] = rest.split("  #")[0].strip()
    return entries


def test_every_setting_is_listed_with_its_real_default() -> None:
    listed = example()
    variables = (
        dict(settings_variables(Settings, "REDCELL_"))
        | dict(settings_variables(ProxySettings, "REDCELL_GATEWAY__"))
        | dict(settings_variables(DispatchProcessSettings, "REDCELL_DISPATCH__"))
        | dict(settings_variables(TrainingProcessSettings, "REDCELL_TRAINING__"))
        | dict(settings_variables(DocumentsProcessSettings, "REDCELL_DOCUMENTS__"))
        | dict(settings_variables(ConsoleSettings, "REDCELL_CONSOLE__"))
    )
    missing = sorted(set(variables) - set(listed))
    assert not missing, f"deploy/env.example does not list {missing}"
    assert set(listed) >= CLI_VARIABLES
    unknown = sorted(set(listed) - set(variables) - CLI_VARIABLES)
    assert not unknown, f"deploy/env.example lists variables nothing reads: {unknown}"
    for name, default in variables.items():
        if isinstance(default, SecretStr) or name == "REDCELL_ENV":
            continue
        shown = listed[name]
        if isinstance(default, (dict, list)):
            assert json.loads(shown) == default, name
        elif isinstance(default, bool):
            assert shown == str(default).lower(), name
        else:
            assert shown == str(default), name
