"""Field validators shared by several apps."""

from __future__ import annotations

import zoneinfo
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

WEB_SCHEMES = ("http", "https")


class WebURLValidator(URLValidator):
    """Only http and https addresses: a link someone else clicks never runs script (`javascript:`, `data:`)."""

    message = _("Enter a web address starting with https:// (or http://).")

    def __init__(self, **kwargs):
        super().__init__(schemes=list(WEB_SCHEMES), **kwargs)


validate_web_url = WebURLValidator()


def web_url_or_empty(value) -> str:
    """The address when it is an http(s) link, else "": for every place a stored address becomes an href."""
    text = str(value or "").strip()
    if not text:
        return ""
    try:
        validate_web_url(text)
    except ValidationError:
        return ""
    return text if urlsplit(text).scheme.lower() in WEB_SCHEMES else ""


def validate_timezone(value: str) -> None:
    """An IANA zone name this machine knows (America/Jamaica), for a person's or a workshop's zone."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone (use an IANA name such as America/Jamaica)."),
            code="unknown_timezone",
            params={"value": value},
        )
