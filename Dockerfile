# Werkpas: the web application with its job worker, served by Granian.
# Data (SQLite database, secret key, sessions, mail) lives in the /data volume.
FROM python:3.11-slim

# The app finds templates/, static/ and migrations/ beside its package, so it
# runs from /app (PYTHONPATH) rather than from the site-packages copy that
# `pip install .` makes; that install brings the pinned dependencies and the
# `werkpas` command.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# DejaVu Sans: printed sheets and badges show every accent (Ç, ş, ...).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 werkpas
WORKDIR /app

# The package with its pinned dependencies and the `werkpas` command.
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install . && rm -rf build *.egg-info

# Read at run time from /app, beside the package.
COPY templates ./templates
COPY static ./static
COPY migrations ./migrations

RUN mkdir /data && chown werkpas:werkpas /data
USER werkpas

ENV WERKPAS_DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=8000
VOLUME ["/data"]
EXPOSE 8000

CMD ["sh", "-c", "werkpas migrate && exec werkpas serve"]
