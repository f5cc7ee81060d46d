"""HTTP rules every view shares: the client's address behind trusted proxies, privacy headers and the caching of
private downloads."""

import ipaddress

from django.conf import settings
from django.http import FileResponse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme

PRIVATE_NO_STORE = {"private": True, "no_store": True}


def safe_next_url(request, fallback: str) -> str:
    """Where a form's ``next`` asks to go back to, if it is this site (never an open redirect); else ``fallback``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return fallback


# Documents that are not pages but are served inline: the private calendar subscription feed.
INLINE_DOWNLOAD_TYPES = ("text/calendar",)


def is_download(response) -> bool:
    """A file handed to the browser or an app to keep (exports, uploads, certificates, archives, calendars)."""
    disposition = response.get("Content-Disposition", "")
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return (
        isinstance(response, FileResponse)
        or disposition.lower().startswith("attachment")
        or content_type in INLINE_DOWNLOAD_TYPES
    )


def mark_private(response):
    """No shared cache (a proxy, a CDN) and no browser cache keeps a copy: the file is one person's to see."""
    patch_cache_control(response, **PRIVATE_NO_STORE)
    return response


class PrivacyHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: private, no-store` on every download.

    Every download the portal serves passes a permission check first, so no copy of it may outlive
    the response: this covers today's views and any later one that sends a file.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if is_download(response):
            mark_private(response)
        return response


def client_ip(request) -> str | None:
    """The client's address as the trusted reverse proxies saw it.

    With ``TRUSTED_PROXY_COUNT = n`` the n-th address from the right of X-Forwarded-For is the client (each proxy
    appends the address it was called from; anything further left was written by the client and is ignored).
    Without proxies, or when the header has fewer hops than configured, it is the connecting address.
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0
    candidate = request.META.get("REMOTE_ADDR", "")
    if count > 0:
        hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
        if len(hops) >= count:
            candidate = hops[-count]
    for value in (candidate, request.META.get("REMOTE_ADDR", "")):
        try:
            return str(ipaddress.ip_address(value.strip()))
        except ValueError:
            continue
    return None
