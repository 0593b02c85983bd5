"""热线设置 (``/console/hotline``), the district admin's: the service catalogue with each category's mode and
clocks and its items (``catalogue.py``), the escalation ladder (``ladder.py``), the hotline's rules and working
calendar (``settings.py``) and the providers (``providers.py``). Dispatch judges every change; its refusals are
shown beside the field (``words.refused``)."""

from __future__ import annotations

from litestar import Controller

from services.console.hotline.catalogue import CatalogueController
from services.console.hotline.ladder import LadderController
from services.console.hotline.providers import ProvidersController
from services.console.hotline.settings import SettingsController
from services.console.hotline.words import ADMINS, HOME
from services.console.i18n import N_
from services.console.web import NavEntry

CONTROLLERS: list[type[Controller]] = [CatalogueController, LadderController, SettingsController, ProvidersController]
NAV: list[NavEntry] = [NavEntry(f"{HOME}/", N_("Hotline settings"), ADMINS)]
