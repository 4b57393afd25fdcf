FROM python:3.12-slim
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt && \
    pip3 install --no-cache-dir --upgrade pip && python3 -m pip install --no-cache-dir gunicorn
RUN set -eux; pip3.12 install --no-cache-dir uvicorn
