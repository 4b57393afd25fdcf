# syntax=docker/dockerfile:1
FROM python:3.12-alpine
RUN <<EOF
set -e
apk add gcc
pip install numpy
EOF
