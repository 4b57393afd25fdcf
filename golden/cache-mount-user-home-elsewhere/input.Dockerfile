FROM python:3.11-slim
RUN useradd --create-home --uid 1001 --home-dir /srv/app app
USER app
WORKDIR /srv/app
RUN pip install --user --no-cache-dir flask
