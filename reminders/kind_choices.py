"""The choices of ``ReminderRule.kind``: every kind an app registered (a callable, so adding one needs no migration).

Kept apart from ``kinds.py`` so that the model (and its migrations) can name it without importing the kinds.
"""

from common.registry import reminder_kinds


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.name, kind.label) for kind in reminder_kinds.collect()]
