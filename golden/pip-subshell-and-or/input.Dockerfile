FROM python:3.12-slim
COPY . /src
RUN (cd /src && pip install .) || (echo 'install failed' && exit 1)
