import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop_portal.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, their models, URLs and templates) lives as long as the process: moved
# out of the collector's reach, a full collection no longer walks it, and no request waits behind one that does.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018 — import every URLconf (and the views) now, not on the first request
gc.freeze()
