"""Settings for Workshop Portal.

Every value that differs between a laptop and a server is read from the
environment here, and only here. Without any environment the portal runs on an
embedded default: SQLite, a filesystem Celery broker and mail written to files,
all under ``var/``.
"""

import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)

# Keys anyone can read in this repository (the examples, the image build, old test settings): never in production.
PLACEHOLDER_SECRET_KEYS = {"change-me", "changeme", "build-only", "insecure-key-for-tests-only", "compose-check"}


def weak_secret_key(key: str) -> bool:
    """A placeholder, or weaker than Django's own deployment check accepts (50 characters, 5 different)."""
    return key in PLACEHOLDER_SECRET_KEYS or key.startswith("django-insecure-") or len(key) < 50 or len(set(key)) < 5


def _secret_key() -> str:
    key = env("SECRET_KEY", default="")
    if key and not DEBUG and weak_secret_key(key):
        raise ImproperlyConfigured(
            "SECRET_KEY is a placeholder or too short (at least 50 characters). Make one with: "
            'python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. For a local run use `make run`, "
            "which sets DEBUG=1 and keeps a generated key in var/secret_key."
        )
    # Local runs keep one generated key so sessions survive a restart.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
# Links built outside a request (mails, calendar files) start with SITE_URL; locally it follows PORT.
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "workshop_portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "common",
    "participants",
    "sessions_app",
    "reminders",
    "preparation",
    "attendance",
    "live",
    "assessments",
    "action_plans",
    "evaluations",
    "nominations",
    "operations",
    "privacy",
    "reports",
]

MIDDLEWARE = [
    "operations.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "common.signed_in.AuthenticationMiddleware",
    "common.request_memo.RequestMemoMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "common.http.PrivacyHeadersMiddleware",
    "participants.middleware.UserTimezoneMiddleware",
    "participants.middleware.UserLanguageMiddleware",
]

ROOT_URLCONF = "workshop_portal.urls"
WSGI_APPLICATION = "workshop_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "participants.context_processors.portal",
                # Pages built for the shared cache get a CSRF placeholder (common/fragments.py).
                "common.fragments.context_processor",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process, the worker and beat share one SQLite file locally; wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "participants.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "sessions:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
# A new sign-in address replaces the old one only once a link sent to it is followed (never by "make primary").
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_FORMS = {
    "add_email": "participants.forms.ChangeEmailForm",
    "reset_password": "participants.forms.PasswordResetForm",
}
# Password reset for an address with no account sends nothing (sign-up is closed; nobody to invite there).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# The old address hears of an address or password change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Failed sign-ins are counted per account only (5 in 5 minutes), so one account's failures never refuse another
# account; the per-address ceiling on sign-in attempts is high enough for a whole cohort behind one proxy.
# Every other allauth limit keeps its default; all are counted in CACHES (shared by every worker).
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/key", "login": "200/m/ip"}
# How many reverse proxies in front of gunicorn append to X-Forwarded-For; the client is the one they saw.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# The name account mails greet with; the domain comes from SITE_URL (both set on the Site after migrate).
SITE_NAME = env("SITE_NAME", default="Workshop Portal")
ACCOUNT_ADAPTER = "participants.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = env("EMAIL_SUBJECT_PREFIX", default="[Workshop Portal] ")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"

LANGUAGE_CODE = "en"
# The portal's languages (see common/i18n.py for how a person's is chosen); .po files in locale/.
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads are private: they live outside every URL space and are served by permission-checking views.
PRIVATE_MEDIA_ROOT = VAR_DIR / "private"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    # Object storage (S3 or compatible) when a bucket is named: private objects, never a public ACL.
    **(
        {
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": env("STORAGE_S3_BUCKET"),
                    "endpoint_url": env("STORAGE_S3_ENDPOINT_URL", default="") or None,
                    "region_name": env("STORAGE_S3_REGION", default="") or None,
                    "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
                    "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
                    "location": env("STORAGE_S3_PREFIX", default=""),
                    "default_acl": None,
                    "querystring_auth": True,
                    "querystring_expire": 300,
                    "file_overwrite": False,
                    "addressing_style": env("STORAGE_S3_ADDRESSING_STYLE", default="") or None,
                },
            }
        }
        if env("STORAGE_S3_BUCKET", default="")
        else {}
    ),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Mail: EMAIL_URL (smtp://user:pass@host:587/?tls=True, consolemail://, ...) wins; otherwise files in var/mail.
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
    EMAIL_HOST = env("EMAIL_HOST", default="localhost")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# With DEBUG off, reminders are refused (not marked sent) through the console or dummy backends unless asked.
ALLOW_CONSOLE_EMAIL = env.bool("ALLOW_CONSOLE_EMAIL", default=False)
# Seconds an SMTP connect, read or write may take before the send counts as failed (and is retried).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Workshop Portal <workshops@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport, which needs no server.
REDIS_URL = env("REDIS_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    _broker_dir = VAR_DIR / "celery" / "broker"
    (_broker_dir / "out").mkdir(parents=True, exist_ok=True)
    (_broker_dir / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        # kombu keeps its exchange tables here; its default is ./control, wherever the process was started.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
REMINDER_DISPATCH_SECONDS = env.int("REMINDER_DISPATCH_SECONDS", default=300)
# A delivery claimed for sending longer ago than this is taken for lost (worker killed) and sent again.
REMINDER_STALE_CLAIM_SECONDS = env.int("REMINDER_STALE_CLAIM_SECONDS", default=300)
CELERY_BEAT_SCHEDULE = {
    "dispatch-reminders": {"task": "reminders.dispatch", "schedule": REMINDER_DISPATCH_SECONDS},
}

# One cache for every worker (sign-in rate limits live here): Redis when REDIS_URL is set, else a database
# table that migrations create.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "common.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"}}
# Pages kept per person in the shared cache (common/fragments.py): only with Redis, where reading a stored page
# costs no query; with the database cache it would cost the queries it saves.
FRAGMENTS_ENABLED = env.bool("FRAGMENTS_ENABLED", default=bool(REDIS_URL))
# With it, a signed-in request reads its session and the person's row from that cache too (common/signed_in.py).
if FRAGMENTS_ENABLED:
    SESSION_ENGINE = "common.signed_in"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {40: "danger"}

# Evaluations: how many days a form stays open after it opens (a template or a form can say otherwise).
EVALUATIONS_OPEN_DAYS = env.int("EVALUATIONS_OPEN_DAYS", default=14)
# Reports and downloads of an anonymous form show comments and single responses only from this many responses on.
EVALUATIONS_ANONYMITY_THRESHOLD = env.int("EVALUATIONS_ANONYMITY_THRESHOLD", default=3)

# The password the demo accounts get from `manage.py load_demo`.
DEMO_PASSWORD = env("DEMO_PASSWORD", default="workshop-demo-2021")

# Served over https (SITE_URL says so): redirect http, tell browsers to stay on https, cookies only over https.
HTTPS = SITE_URL.startswith("https://")
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]  # the container's health check asks over plain http inside
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
# X-Forwarded-Proto is believed only from a proxy the operator says is in front (TRUSTED_PROXY_COUNT, read
# above with the sign-in limits); anyone else could forge it.
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), fullscreen=(self)"
)
# Only the portal's own scripts and styles run. Style attributes stay allowed: bars draw their width with one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# LOG_FORMAT=json: one JSON object per line, each with the request id (X-Request-ID) of the request it belongs to.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "operations.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "operations.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Errors go to Sentry only when SENTRY_DSN is set; no personal data is sent with them.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )
