"""The key messages a facilitator records at the end of an occurrence."""

from __future__ import annotations

from sessions_app.models import SessionOccurrence

from ..models import (
    KeyMessages,
)


def save_key_messages(occurrence: SessionOccurrence, text: str, *, by) -> KeyMessages | None:
    """Record the occurrence's key messages; empty text removes them."""
    text = "\n".join(line.strip() for line in (text or "").splitlines() if line.strip())
    if not text:
        KeyMessages.objects.filter(occurrence=occurrence).delete()
        return None
    record, _created = KeyMessages.objects.update_or_create(
        occurrence=occurrence, defaults={"text": text, "recorded_by": by}
    )
    return record
