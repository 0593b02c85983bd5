"""Event handlers of the dispatch service (providers): training's word on pre-service training (EVT-14)."""

from __future__ import annotations

from services.dispatch.events import consumer
from services.dispatch.providers.pre_service import record_completion
from shared.contracts.training import PreServiceTrainingCompleted

consumer.on(PreServiceTrainingCompleted)(record_completion)
