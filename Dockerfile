# syntax=docker/dockerfile:1
# One image for web (gunicorn, the default command), the Celery worker and beat.

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PRIVATE_MEDIA_ROOT=/data/private-media

# WeasyPrint's system libraries, and fonts for the PDF letters.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 shared-mime-info \
        fonts-dejavu-core fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 microcomm \
    && useradd --system --uid 10001 --gid microcomm --home-dir /app --shell /usr/sbin/nologin microcomm

WORKDIR /app

# The pinned runtime dependencies first (not the dev extras), so a code change does not
# reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
# Editable, so settings.BASE_DIR stays /app, where templates/ and static/ are.
RUN pip install --no-deps -e .

# /healthz answers 200 when the database and Redis answer. The Host header is the first
# of ALLOWED_HOSTS (Django refuses others); X-Forwarded-Proto stops the HTTPS redirect.
RUN cat > /usr/local/bin/healthcheck <<'EOF'
#!/usr/local/bin/python
import os
import sys
import urllib.request

hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
host = next((h.lstrip(".") for h in hosts if h != "*"), "localhost")
request = urllib.request.Request(
    "http://127.0.0.1:8000/healthz", headers={"Host": host, "X-Forwarded-Proto": "https"}
)
try:
    with urllib.request.urlopen(request, timeout=10) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception as error:
    print(f"healthcheck: {error}", file=sys.stderr)
    sys.exit(1)
EOF
RUN chmod 0755 /usr/local/bin/healthcheck

# Placeholders for this step only: the settings refuse to load without them when DEBUG is
# off, and collectstatic must run with DEBUG off to write WhiteNoise's manifest.
ARG COLLECTSTATIC_SECRET_KEY=collectstatic-at-build-time-only-not-a-secret
ARG COLLECTSTATIC_ALLOWED_HOSTS=localhost
RUN DEBUG=0 SECRET_KEY="$COLLECTSTATIC_SECRET_KEY" ALLOWED_HOSTS="$COLLECTSTATIC_ALLOWED_HOSTS" \
    python manage.py collectstatic --noinput

RUN mkdir -p /data/private-media && chown microcomm:microcomm /data/private-media
VOLUME ["/data/private-media"]

USER microcomm
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=15s --start-period=30s --retries=3 CMD ["healthcheck"]

CMD ["sh", "-c", "exec gunicorn microcomm.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
