FROM python:3.11-slim
ENV PIP_CACHE_DIR=/var/cache/pip
RUN pip install flask
