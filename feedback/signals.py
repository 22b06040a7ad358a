"""Journey events saved one by one raise their questionnaire as they are saved (the
import and the demo write events in bulk, without signals: the nightly sweep raises
theirs). `cases` knows nothing of questionnaires; feedback, above it, listens."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from cases.models import JourneyEvent
from feedback.questionnaires import RAISING_EVENTS, questionnaire_raise_for


@receiver(post_save, sender=JourneyEvent, dispatch_uid="event-saved-questionnaire")
def event_saved(sender: type[JourneyEvent], instance: JourneyEvent, **kwargs: Any) -> None:
    if kwargs.get("raw") or instance.kind not in RAISING_EVENTS:
        return
    questionnaire_raise_for(event=instance)
