"""The translations the portal's JavaScript shows, as one external script (the CSP allows no inline script).

``/jsi18n/<language>/<version>.js`` is Django's ``JavaScriptCatalog`` (``djangojs`` domain, the project's
``locale/``) in the language named by the address, not the request's: the language and the catalogue's version
are in the address, so the response can be cached for a year (``immutable``) and a new translation or a person
switching language simply asks for another address. ``{% js_catalog_src %}`` (``common.templatetags.js_catalog``)
writes the address for the page's language; ``templates/base.html`` loads it before the portal's scripts, which
then call ``gettext``, ``ngettext`` and ``interpolate``.
"""

from __future__ import annotations

import hashlib
from functools import cache

import django
from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.i18n import JavaScriptCatalog

ONE_YEAR = 365 * 24 * 3600


@cache
def catalogue_version() -> str:
    """Changes whenever a djangojs catalogue (or Django's date and number formats) may have changed."""
    digest = hashlib.sha256(django.get_version().encode())
    for folder in settings.LOCALE_PATHS:
        for po in sorted(folder.glob("*/LC_MESSAGES/djangojs.po")):
            digest.update(str(po.relative_to(folder)).encode())
            digest.update(po.read_bytes())
    return digest.hexdigest()[:12]


@method_decorator(cache_control(public=True, max_age=ONE_YEAR, immutable=True), name="dispatch")
class PortalJavaScriptCatalog(JavaScriptCatalog):
    # Only the project's catalogues (LOCALE_PATHS are always read): not the admin's own JavaScript strings.
    packages = ["common"]

    def get(self, request, *args, **kwargs):
        language = kwargs["language"]
        if language not in dict(settings.LANGUAGES) or kwargs["version"] != catalogue_version():
            # An old version is not served under a new address's year-long cache: the page asks for the current one.
            raise Http404
        with translation.override(language):
            return super().get(request, *args, **kwargs)
