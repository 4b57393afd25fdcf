FROM python:3.11-slim
RUN useradd --create-home --uid 1001 --home-dir /srv/app app
USER app
WORKDIR /srv/app
RUN --mount=type=cache,target=/srv/app/.cache/pip,uid=1001,gid=1001 pip install --user flask
