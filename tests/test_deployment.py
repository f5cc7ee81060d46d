import os
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def compose_command():
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_docker_compose_file_is_accepted():
    command = compose_command()
    if command is None:
        pytest.skip("No docker compose client is installed here.")
    env = {
        **os.environ,
        "SECRET_KEY": "compose-check",
        "POSTGRES_PASSWORD": "compose-check",
        "EMAIL_URL": "smtp://mail",
    }
    result = subprocess.run(
        [*command, "config", "--services"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {"db", "redis", "web", "worker", "beat"}


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
