"""Health endpoints, request ids in structured logs, and the optional error tracker."""

import io
import json
import logging
import os
import socket
import subprocess
import sys

import pytest
from django.test import RequestFactory

from operations.logging import JsonFormatter, RequestIdFilter, RequestIdMiddleware

pytest_plugins = ["tests.s3_server"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_liveness_answers_without_touching_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/")
    assert response.status_code == 200


def test_readiness_reports_each_check_and_is_ok_when_all_answer(client, db, settings):
    settings.REDIS_URL = ""
    response = client.get("/readyz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {"database": "ok", "storage": "ok"}


def test_readiness_is_503_when_redis_does_not_answer(client, db, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get("/readyz/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["redis"]["status"] == "fail"
    assert body["checks"]["database"]["status"] == "ok"


def test_readiness_is_503_when_the_storage_directory_cannot_be_made(client, db, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": blocker / "x"}},
    }
    settings.REDIS_URL = ""
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["status"] == "fail"


def test_readiness_checks_the_bucket_on_object_storage(client, db, settings, s3_storage):
    settings.REDIS_URL = ""
    assert client.get("/readyz/").json()["checks"]["storage"]["status"] == "ok"
    s3_storage.delete_bucket(Bucket=s3_storage.bucket)
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["status"] == "fail"


def test_a_readiness_failure_names_no_credentials(client, db, settings):
    settings.REDIS_URL = f"redis://:very-secret-password@127.0.0.1:{free_port()}/0"
    assert "very-secret-password" not in client.get("/readyz/").content.decode()


def test_every_response_carries_a_request_id_and_a_proxys_id_is_kept(client, db):
    first = client.get("/healthz/")["X-Request-ID"]
    second = client.get("/healthz/")["X-Request-ID"]
    assert len(first) == 32 and first != second
    assert client.get("/healthz/", HTTP_X_REQUEST_ID="proxy-abc-12345")["X-Request-ID"] == "proxy-abc-12345"


@pytest.mark.parametrize("forged", ["x" * 200, "abc\ndef-ghij", "short", '{"level": "CRITICAL"}'])
def test_an_unsafe_incoming_request_id_is_replaced(client, db, forged):
    answered = client.get("/healthz/", HTTP_X_REQUEST_ID=forged)["X-Request-ID"]
    assert answered != forged and len(answered) == 32


def test_json_logs_carry_the_request_id_of_the_request_they_belong_to():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.request_id")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    def view(request):
        from django.http import HttpResponse

        logger.info("handling %s", "the page", extra={"workshop": 7})
        return HttpResponse("ok")

    try:
        response = RequestIdMiddleware(view)(RequestFactory().get("/"))
        logger.info("after the request")
    finally:
        logger.removeHandler(handler)
    during, after = (json.loads(line) for line in stream.getvalue().splitlines())
    assert during["message"] == "handling the page"
    assert during["request_id"] == response["X-Request-ID"]
    assert during["workshop"] == 7
    assert during["level"] == "INFO" and during["logger"] == "tests.request_id"
    assert after["request_id"] == "-"


def settings_value(code: str, **variables) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("LOG_FORMAT", "SENTRY_DSN")}
    env.update(variables, DEBUG="1", DJANGO_SETTINGS_MODULE="workshop_portal.settings")
    program = f"import django; django.setup(); {code}"
    return subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True).stdout


def test_log_format_json_writes_one_json_object_per_line():
    code = "import logging; logging.getLogger('portal.check').warning('hello')"
    err = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**os.environ, "LOG_FORMAT": "json", "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "workshop_portal.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    record = json.loads(err.strip().splitlines()[-1])
    assert record["message"] == "hello" and record["request_id"] == "-" and record["level"] == "WARNING"


def test_sentry_is_initialised_only_when_a_dsn_is_set():
    code = "import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    assert settings_value(code).strip() == "False"
    assert settings_value(code, SENTRY_DSN="https://public@sentry.example.org/1").strip() == "True"
