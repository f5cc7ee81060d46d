from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (0 or "" when absent, as Counter and dict.get would say)."""
    if mapping is None:
        return ""
    return mapping.get(key, 0 if hasattr(mapping, "most_common") else "")
