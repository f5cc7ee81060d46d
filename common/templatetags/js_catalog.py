"""``{% js_catalog_src %}``: the address of the JavaScript translations in the page's language (common.jsi18n)."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from common.jsi18n import catalogue_version

register = template.Library()


@register.simple_tag
def js_catalog_src() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        try:
            language = translation.get_supported_language_variant(language)
        except LookupError:  # a language the page is shown in but the portal does not offer: the site's scripts
            language = settings.LANGUAGE_CODE
    return reverse("javascript-catalog", kwargs={"language": language, "version": catalogue_version()})
