"""What /readyz/ checks: the database, Redis (when configured) and the file storage, each on its own."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_redis() -> None:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        if not client.ping():
            raise ConnectionError("Redis did not answer PING")
    finally:
        client.close()


def check_storage() -> None:
    bucket = getattr(default_storage, "bucket_name", None)
    if bucket:
        # Object storage: the bucket exists and these credentials may use it (HEAD, nothing written).
        default_storage.connection.meta.client.head_bucket(Bucket=bucket)
        return
    location = Path(default_storage.location)
    location.mkdir(parents=True, exist_ok=True)
    if not os.access(location, os.W_OK | os.X_OK):
        raise PermissionError("The storage directory is not writable")


def checks() -> dict:
    found = {"database": check_database, "storage": check_storage}
    if settings.REDIS_URL:
        found["redis"] = check_redis
    return found


def run_checks() -> tuple[bool, dict]:
    results = {}
    for name, check in checks().items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # a readiness probe reports every failure, whatever raised it
            results[name] = {"status": "fail", "error": type(exc).__name__}
        else:
            results[name] = {"status": "ok"}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return all(result["status"] == "ok" for result in results.values()), results
