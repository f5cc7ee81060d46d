import logging

from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from . import health

logger = logging.getLogger(__name__)


@never_cache
def readyz(request):
    """Readiness: the database, Redis (when configured) and the storage answer; 503 when one does not."""
    ready, results = health.run_checks()
    if not ready:
        logger.warning("Not ready", extra={"checks": {name: r["status"] for name, r in results.items()}})
    return JsonResponse({"status": "ok" if ready else "fail", "checks": results}, status=200 if ready else 503)
