"""Production settings are safe by default: strong key, https rules, CSP and privacy headers, private downloads."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from common.http import PrivacyHeadersMiddleware
from workshop_portal.settings import PLACEHOLDER_SECRET_KEYS

from .factories_preparation import file_task, pptx_bytes, upload

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = secrets.token_urlsafe(50)


def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def production_environment(tmp_path, **overrides) -> dict[str, str]:
    """What docker-compose hands the web container when .env is the example, with the example's own
    instruction followed (a generated SECRET_KEY) and an https SITE_URL."""
    example = {**env_example(), "SECRET_KEY": STRONG_KEY, "SITE_URL": "https://workshops.example.org"}
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())

    def interpolate(text: str) -> str:
        def value(match):
            name, operator, default = match.group(1), match.group(2), match.group(3) or ""
            if name in example:
                return example[name]
            assert operator == ":-", f"{name} is required by docker-compose but missing from .env.example"
            return default

        return re.sub(r"\$\{(\w+)(?:(:[-?])([^}]*))?\}", value, str(text))

    env = {name: interpolate(text) for name, text in compose["x-app-env"].items()}
    env.update(VAR_DIR=str(tmp_path / "var"), STATIC_ROOT=str(tmp_path / "static"))  # not /app on this machine
    env.update(overrides)
    keep = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return {**keep, **env}


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


SETUP = "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'workshop_portal.settings'; import django; django.setup()"


@pytest.mark.parametrize(
    "key",
    ["change-me", "insecure-key-for-tests-only", "build-only", "short-Zq81xk", "django-insecure-" + "x" * 40],
    ids=["env-example", "old-test-key", "image-build", "short", "django-insecure"],
)
def test_the_portal_refuses_to_start_with_a_placeholder_or_short_secret_key(tmp_path, key):
    assert env_example()["SECRET_KEY"] in PLACEHOLDER_SECRET_KEYS
    result = run_python(SETUP, production_environment(tmp_path, SECRET_KEY=key))
    assert result.returncode != 0
    assert "SECRET_KEY is a placeholder or too short" in result.stderr


def test_a_placeholder_key_is_still_fine_for_a_local_debug_run(tmp_path):
    result = run_python(SETUP, production_environment(tmp_path, SECRET_KEY="change-me", DEBUG="1"))
    assert result.returncode == 0, result.stderr


def test_manage_py_check_deploy_has_no_warning_on_the_production_example_environment(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


PROBE = (
    SETUP
    + """
import json
from django.conf import settings
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory

middleware = SecurityMiddleware(lambda request: HttpResponse("ok"))
# An attacker talks to gunicorn directly and claims the connection was https.
factory = RequestFactory(HTTP_HOST="workshops.example.org")
spoofed = middleware(factory.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"}))
secure = middleware(factory.get("/accounts/login/", secure=True))
health = middleware(factory.get("/healthz/"))
print(json.dumps({
    "spoofed": [spoofed.status_code, spoofed.get("Location")],
    "hsts": secure.get("Strict-Transport-Security"),
    "health": health.status_code,
    "cookies_secure": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
    "proxy_header": settings.SECURE_PROXY_SSL_HEADER,
}))
"""
)


def test_an_https_site_redirects_sets_hsts_and_secure_cookies_and_ignores_a_forged_proxy_header(tmp_path):
    result = run_python(PROBE, production_environment(tmp_path, TRUSTED_PROXY_COUNT="0"))
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["spoofed"] == [301, "https://workshops.example.org/accounts/login/"]
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["health"] == 200  # the container's health check asks over http
    assert seen["cookies_secure"] == [True, True]
    assert seen["proxy_header"] is None


def test_behind_a_trusted_proxy_its_forwarded_proto_is_believed(tmp_path):
    result = run_python(PROBE, production_environment(tmp_path, TRUSTED_PROXY_COUNT="1"))
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["spoofed"] == [200, None]
    assert seen["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_a_plain_http_site_neither_redirects_nor_sends_hsts(tmp_path):
    result = run_python(PROBE, production_environment(tmp_path, SITE_URL="http://localhost:8000"))
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["spoofed"][0] == 200 and seen["hsts"] is None and seen["cookies_secure"] == [False, False]


def test_pages_carry_a_csp_without_inline_script_and_privacy_headers(client, db):
    response = client.get(reverse("account_login"))
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'" and policy["base-uri"] == "'self'"
    assert "unsafe" not in policy["style-src"]
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "microphone=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def test_no_template_holds_inline_script_event_handlers_or_htmx_eval():
    offenders = []
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            if "/email/" in str(path):
                continue  # mail is not a page
            text = path.read_text()
            for pattern in (INLINE_SCRIPT, INLINE_HANDLER, re.compile(r"hx-on|hx-trigger=\"[^\"]*\[")):
                offenders += [f"{path.relative_to(ROOT)}: {m.group(0)[:60]}" for m in pattern.finditer(text)]
    assert offenders == []


def test_docker_compose_binds_gunicorn_locally_and_has_no_default_password_or_console_mail():
    text = (ROOT / "docker-compose.yml").read_text()
    compose = yaml.safe_load(text)
    ports = [port for service in compose["services"].values() for port in service.get("ports", [])]
    assert ports and all(str(port).startswith("127.0.0.1:") for port in ports)
    assert (
        "POSTGRES_PASSWORD:-" not in text
        and "${POSTGRES_PASSWORD:?" in compose["services"]["db"]["environment"]["POSTGRES_PASSWORD"]
    )
    assert compose["x-app-env"]["EMAIL_URL"].startswith("${EMAIL_URL:?")
    assert "consolemail" not in env_example()["EMAIL_URL"]


# --- Private downloads -------------------------------------------------------------------------------------


def test_every_download_is_marked_private_no_store_and_pages_are_not():
    middleware = PrivacyHeadersMiddleware(lambda request: responses.pop(0))
    attachment = HttpResponse("a,b", content_type="text/csv")
    attachment["Content-Disposition"] = 'attachment; filename="export.csv"'
    attachment["Cache-Control"] = "public, max-age=600"
    responses = [attachment, FileResponse(iter([b"%PDF"])), HttpResponse("<p>page</p>")]
    request = RequestFactory().get("/")
    seen = [middleware(request).get("Cache-Control") for _ in range(3)]
    assert seen[0] == "max-age=600, private, no-store"
    assert seen[1] == "private, no-store"
    assert seen[2] is None


@pytest.mark.django_db
def test_a_submitted_file_reaches_the_browser_private_no_store(client, participant, programme, time_machine):
    from preparation import services

    time_machine.move_to("2021-02-10T12:00:00Z")
    version = services.submit(file_task(programme), participant, upload=upload("work.pptx", pptx_bytes("work.pptx")))
    client.force_login(participant.user)
    download = client.get(reverse("preparation:file", args=[version.pk]))
    assert download.status_code == 200
    assert set(download["Cache-Control"].split(", ")) == {"private", "no-store"}


@pytest.mark.django_db
def test_a_certificate_pdf_is_private_no_store(client, time_machine):
    from .factories_live import enrol, live_workshop, mark, occurrence_of

    workshop = live_workshop(sessions=1)
    me = enrol(workshop.cohorts.get(name="Group A"), countries=1)[0]
    mark(occurrence_of(workshop, number=1), [me])
    time_machine.move_to(timezone.now().replace(year=2030))
    client.force_login(me.user)
    client.post(reverse("attendance:my_certificate_pdf"))  # issuing is a POST; the download that follows is a GET
    response = client.get(reverse("attendance:my_certificate_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}


@pytest.mark.django_db
def test_the_private_calendar_feed_is_private_no_store(client, participant):
    response = client.get(reverse("participants:calendar_feed", args=[participant.calendar_token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))  # no-store overrides max-age
