"""Print every component's OpenAPI document as canonical JSON, so two revisions can be compared.

    python -m tests.platform.openapi_dump > before.json   # then again after a change; diff the two
    python -m tests.platform.openapi_dump orgtree          # one component's document only

The gateway's merged ``/schema`` is built from exactly these documents, so equal dumps mean an equal API.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from shared.components import components, resolve


def documents(names: list[str] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, component in components().items():
        if names and name not in names:
            continue
        app: Any = resolve(component.app)()
        litestar_app = getattr(app, "app", app)  # the gateway wraps its Litestar app in a dispatcher
        out[name] = litestar_app.openapi_schema.to_schema()
    return out


if __name__ == "__main__":
    json.dump(documents(sys.argv[1:]), sys.stdout, indent=1, sort_keys=True, ensure_ascii=False)
    sys.stdout.write("\n")
