"""`{{ address|web_url }}`: a stored address becomes an href only when it is an http(s) link."""

from django import template

from common.validators import web_url_or_empty

register = template.Library()


@register.filter
def web_url(value) -> str:
    return web_url_or_empty(value)
