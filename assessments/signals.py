"""The cached questionnaire structure (selectors.instrument_structure) is forgotten whenever any part of it changes."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from .selectors import structure_cache_key


def _instrument_id(instance) -> int | None:
    from .models import Instrument, Statement

    if isinstance(instance, Instrument):
        return instance.pk
    if isinstance(instance, Statement):
        return instance.dimension.instrument_id if instance.dimension_id else None
    return instance.instrument_id


def structure_changed(sender, instance, **kwargs):
    instrument_id = _instrument_id(instance)
    if instrument_id is not None:
        cache.delete(structure_cache_key(instrument_id))


def connect():
    from .models import Dimension, Instrument, ScaleLevel, Statement

    for model in (Instrument, Dimension, Statement, ScaleLevel):
        for signal in (post_save, post_delete):
            signal.connect(structure_changed, sender=model, dispatch_uid=f"structure_{model.__name__}_{id(signal)}")
