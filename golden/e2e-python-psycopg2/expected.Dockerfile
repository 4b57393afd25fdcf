FROM python:3.11-slim AS build
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
RUN python -m venv /opt/venv
WORKDIR /app
RUN apt-get update && apt-get install -y gcc libpq-dev python3-dev
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .

FROM python:3.11-slim
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --from=build /app /app
CMD ["python", "app.py"]
