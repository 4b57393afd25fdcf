FROM python:3.12-slim
COPY . /src
RUN (cd /src && pip install --no-cache-dir .) || (echo 'install failed' && exit 1)
