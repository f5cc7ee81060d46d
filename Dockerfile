# syntax=docker/dockerfile:1
# Production image for Workshop Portal (Django + gunicorn; the same image runs
# the Celery worker and beat, see docker-compose.yml).
FROM python:3.12-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles
# STATIC_ROOT lives outside VAR_DIR on purpose. docker-compose mounts a volume over /app/var, and a
# volume keeps the files from the first image it was created with, so static files collected there
# would go stale on every later rebuild. settings.py must read STATIC_ROOT from the environment.

# Non-root runtime user. It has a writable home because gunicorn (>= 27) puts its control socket
# in $HOME/.gunicorn.
RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app

WORKDIR /app

# The CJK font for PDFs (common/pdf_fonts.py); the other scripts' fonts come from pip wheels.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-droid-fallback \
    && rm -rf /var/lib/apt/lists/*

# Install the dependencies declared in pyproject.toml first, in their own layer,
# so that a code-only change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project'].get('dependencies', []); open('/tmp/requirements.txt', 'w').write('\n'.join(deps) + '\n')" \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The project itself. The code belongs to root, so the app user can read it but not change it.
COPY . .
RUN pip install . \
    && rm -rf build *.egg-info \
    && python -m common.build_messages

# Static files are collected at build time. The secret key is a throw-away one that exists only for
# this step (a placeholder would be refused); the real one comes from the environment when the container runs.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" DEBUG=0 python manage.py collectstatic --noinput

# VAR_DIR holds writable runtime data (private uploads, the celerybeat schedule).
# When docker-compose mounts a new named volume at this path, the volume takes this ownership.
RUN mkdir -p /app/var/private && chown -R app:app /app/var

USER app

EXPOSE 8000

CMD ["gunicorn", "workshop_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
