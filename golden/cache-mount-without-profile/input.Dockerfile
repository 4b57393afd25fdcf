# syntax=docker/dockerfile:1
FROM python:3.11-slim
RUN pip install --no-cache-dir flask
