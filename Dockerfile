# One image for web, worker and beat.

# Front end: GOV.UK Frontend from npm, compiled under the council's brand.
FROM node:20-bookworm-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/scss static/scss
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=coproduction.settings.production
WORKDIR /app
# Pango and fonts for WeasyPrint (the Cabinet update's PDF).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system coproduce && useradd --system --gid coproduce --home /app coproduce
COPY . .
RUN pip install -c constraints.txt .
COPY --from=frontend /app/static/build static/build
COPY --from=frontend /app/node_modules/govuk-frontend/dist node_modules/govuk-frontend/dist
# collectstatic reads settings only; these placeholders never reach a running container.
RUN DJANGO_SECRET_KEY=collectstatic DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 CELERY_BROKER_URL=memory:// \
    EMAIL_URL=consolemail:// python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown coproduce:coproduce /app/media
USER coproduce
EXPOSE 8000
CMD ["gunicorn", "-c", "python:coproduction.gunicorn_config", "coproduction.wsgi:application"]
