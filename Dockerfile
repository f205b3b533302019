# Coach in production: gunicorn for the web, the same image runs the Celery worker and beat.

# Front-end libraries come pinned from npm (package-lock.json); only node_modules is kept.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# gunicorn's worker processes (it reads WEB_CONCURRENCY): one per core of a 2-core host.
ENV WEB_CONCURRENCY=2
WORKDIR /app
RUN useradd --create-home --uid 1000 coach

# Pinned dependencies first, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

COPY --from=assets /app/node_modules ./node_modules
COPY . .
RUN pip install --no-deps -e . \
    && DEBUG=0 SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

USER coach
EXPOSE 8000
# No --access-logfile: the app logs each request as JSON, with its secret tokens redacted.
CMD ["gunicorn", "coach.wsgi", "--bind", "0.0.0.0:8000"]
