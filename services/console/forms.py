"""Forms: reading a posted form, and an API's refusal shown beside the field that caused it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.console.api import ApiError
from services.console.i18n import N_

NOT_ACCEPTED = N_("This value is not accepted.")


@dataclass
class FormErrors:
    """Messages by field (catalogue message ids or the API's own words), and one for the whole form."""

    fields: dict[str, str] = field(default_factory=dict)
    form: str | None = None

    def __bool__(self) -> bool:
        return bool(self.fields or self.form)

    @classmethod
    def from_api(cls, error: ApiError, known: dict[str, str] | None = None) -> FormErrors:
        """Each field error of the API beside its field: a known message by its id in ``known`` (the API's
        message -> catalogue id), otherwise the generic one; the API's detail when no field is named."""
        known = known or {}
        fields = {name: known.get(message, NOT_ACCEPTED) for name, message in error.fields.items()}
        return cls(fields=fields, form=None if fields else known.get(error.detail, error.detail))


async def read_form(request: Any) -> dict[str, str]:
    """The posted fields as strings, as typed (the CSRF field left out)."""
    form = await request.form()
    return {k: str(v) for k, v in form.items() if k != "_csrf_token"}
