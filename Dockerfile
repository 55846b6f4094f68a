# The application image: gunicorn (web), the Celery worker and Celery beat all run from it.
# docker-compose.yml builds it; see README.md, "Production".
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=labour_office.settings

WORKDIR /app

# WeasyPrint (PDF documents for clients) needs pango; DejaVu covers Polish diacritics. Not
# pinned: the base image's Debian release fixes the versions, and security updates must land.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so that a change of code does not reinstall them. pyproject.toml declares
# no packages: `pip install .` installs the dependencies only; the code runs from /app.
COPY pyproject.toml README.md ./
RUN pip install . && rm -rf build ./*.egg-info

COPY . .

# Translations and static files are built into the image. The settings refuse to load without
# SECRET_KEY, so collectstatic gets a throw-away one that exists only during this step; nothing
# here touches a database or a broker.
RUN pybabel compile -d locale -D django \
    && test -f locale/pl/LC_MESSAGES/django.mo \
    && SECRET_KEY=build-only-not-a-secret \
       DATABASE_URL=postgres://build@127.0.0.1:5432/build \
       CELERY_BROKER_URL=memory:// \
       python manage.py collectstatic --noinput --verbosity 0

# The processes run unprivileged. var/ is the only folder they may write: the file broker lives
# there when CELERY_BROKER_URL is unset (compose sets it).
RUN useradd --system --uid 10001 --no-create-home --home-dir /app labour_office \
    && mkdir -p var && chown labour_office var
USER 10001

EXPOSE 8000
# Workers: gunicorn reads WEB_CONCURRENCY itself (default 1).
CMD ["gunicorn", "labour_office.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
