import json
import os
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def compose_command():
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


COMPOSE_ENV = {"SECRET_KEY": "compose-check", "POSTGRES_PASSWORD": "compose-check", "EMAIL_URL": "smtp://mail"}
SERVICES = {"proxy", "db", "redis", "migrate", "web", "worker", "beat"}


def compose_file() -> dict:
    """The compose file as docker compose resolves it when a client is installed, else as written."""
    command = compose_command()
    if command is None:
        return yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    result = subprocess.run(
        [*command, "--profile", "backup", "config", "--format", "json"],
        cwd=ROOT,
        env={**os.environ, **COMPOSE_ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_docker_compose_file_is_accepted():
    command = compose_command()
    if command is None:
        pytest.skip("No docker compose client is installed here (the structure is checked in the tests below).")
    result = subprocess.run(
        [*command, "config", "--services"], cwd=ROOT, env={**os.environ, **COMPOSE_ENV}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == SERVICES


def test_compose_services_and_the_backup_profile():
    services = compose_file()["services"]
    assert set(services) == SERVICES | {"backup"}
    assert services["backup"]["profiles"] == ["backup"]
    assert "backup" in " ".join(map(str, services["backup"]["command"]))


def test_web_and_worker_can_be_scaled_behind_the_proxy():
    services = compose_file()["services"]
    for name in ("web", "worker"):
        assert not services[name].get("ports"), f"{name} publishes a port, so a second replica could not start"
        assert "container_name" not in services[name]
    published = [
        str(port.get("published", port) if isinstance(port, dict) else port) for port in services["proxy"]["ports"]
    ]
    assert published and all(
        port.startswith("127.0.0.1:") or (isinstance(p, dict) and p.get("host_ip") == "127.0.0.1")
        for port, p in zip(published, services["proxy"]["ports"], strict=True)
    )
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "dynamic a web 8000" in caddyfile  # every web replica, looked up again as they come and go
    assert any("Caddyfile" in str(volume) for volume in services["proxy"]["volumes"])


def test_worker_and_beat_start_after_migrations_and_have_healthchecks():
    services = compose_file()["services"]
    assert services["migrate"]["restart"] == "no"
    assert "migrate" in " ".join(map(str, services["migrate"]["command"]))
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "healthcheck" in services[name]
        assert "migrate" not in " ".join(map(str, services[name]["command"]))
    ping = " ".join(map(str, services["worker"]["healthcheck"]["test"]))
    assert "inspect ping" in ping and "--destination worker@" in ping and "--timeout" in ping
    assert "--hostname=worker@%h" in services["worker"]["command"]
    assert any(part.startswith("--time-limit=") for part in services["worker"]["command"])


def test_redis_keeps_its_data_in_a_volume():
    compose = compose_file()
    redis = compose["services"]["redis"]
    assert "--appendonly" in redis["command"] and "yes" in redis["command"]
    volumes = [str(v.get("source", "") if isinstance(v, dict) else v).split(":")[0] for v in redis["volumes"]]
    assert "redisdata" in volumes and "redisdata" in compose["volumes"]


def test_storage_logs_and_sentry_come_from_the_environment():
    text = (ROOT / "docker-compose.yml").read_text()
    for name in ("STORAGE_S3_BUCKET", "STORAGE_S3_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "LOG_FORMAT", "SENTRY_DSN"):
        assert f"{name}: ${{{name}:-" in text


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env["DJANGO_SETTINGS_MODULE"] = "workshop_portal.settings"
    result = subprocess.run(
        [str(Path(os.sys.executable)), "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_links_built_outside_a_request_follow_port_when_site_url_is_not_set():
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "workshop_portal.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "PORT": "8123",
        }
    )
    result = subprocess.run(
        [
            str(Path(os.sys.executable)),
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://127.0.0.1:8123"
