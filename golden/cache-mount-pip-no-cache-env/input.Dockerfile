FROM python:3.11-slim
ENV PIP_NO_CACHE_DIR=1
RUN pip install flask
