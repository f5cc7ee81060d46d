"""Reading and writing a whole programme as a YAML document.

The document is what organizers hand over between runs of a course: it names
things by natural keys (organization short names, speaker keys, group names,
session numbers) and writes clock times in the workshop's reference zone, so a
person can read and edit it.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time, timedelta
from typing import Any

import yaml
from django.utils.formats import number_format
from django.utils.translation import gettext as _


class ProgrammeError(ValueError):
    """A programme document that cannot be loaded; the message says where and why."""


# A real programme (five sessions, agendas, tasks, speakers) is about 30 kB; this leaves ample room.
MAX_DOCUMENT_CHARACTERS = 1_000_000


class _PlainLoader(yaml.SafeLoader):
    """YAML without anchors and aliases: `&a [*b, *b, …]` ("billion laughs") cannot expand a small file."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise ProgrammeError(
                _("Line %(line)s: anchors and aliases (&name, *name) are not allowed in a programme file.")
                % {"line": event.start_mark.line + 1}
            )
        return super().compose_node(parent, index)


def parse_document(text: str) -> dict:
    if len(text) > MAX_DOCUMENT_CHARACTERS:
        raise ProgrammeError(
            _("The file is too long (%(size)s characters; at most %(limit)s).")
            % {
                "size": number_format(len(text), force_grouping=True),
                "limit": number_format(MAX_DOCUMENT_CHARACTERS, force_grouping=True),
            }
        )
    try:
        data = yaml.load(text, Loader=_PlainLoader)  # noqa: S506 - a SafeLoader without aliases
    except yaml.YAMLError as exc:
        raise ProgrammeError(_("The file is not valid YAML: %(problem)s") % {"problem": exc}) from exc
    if not isinstance(data, dict) or "workshop" not in data or "sessions" not in data:
        raise ProgrammeError(_("The file must be a mapping with at least `workshop` and `sessions`."))
    return data


def dump_document(data: dict) -> str:
    header = "# Workshop Portal programme file. Clock times are in the workshop's reference time zone.\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)


def parse_clock(value: Any, where: str) -> time:
    text = str(value).strip().replace(".", ":")
    try:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))
    except (ValueError, TypeError) as exc:
        raise ProgrammeError(
            _("%(where)s: “%(value)s” is not a clock time like 10:30.") % {"where": where, "value": value}
        ) from exc


def parse_date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ProgrammeError(
            _("%(where)s: “%(value)s” is not a date like 2021-02-23.") % {"where": where, "value": value}
        ) from exc


def minutes_between(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def local_datetime(day: date, clock: time, tz: zoneinfo.ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz)


def clock_after(start: time, minutes: int) -> str:
    moment = datetime.combine(date(2000, 1, 1), start) + timedelta(minutes=minutes)
    return f"{moment:%H:%M}"


def require(mapping: dict, key: str, where: str):
    if not isinstance(mapping, dict):
        raise ProgrammeError(_("%(where)s: expected a mapping.") % {"where": where})
    value = mapping.get(key)
    if value in (None, ""):
        raise ProgrammeError(_("%(where)s: `%(key)s` is required.") % {"where": where, "key": key})
    return value


def lines(value) -> str:
    """Lists in the document become one-item-per-line text fields."""
    if isinstance(value, list):
        return "\n".join(str(v).strip() for v in value)
    return (value or "").strip()
