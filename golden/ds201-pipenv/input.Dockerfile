FROM python:3.12-slim
RUN pip install --no-cache-dir pipenv
WORKDIR /app
COPY . .
RUN pipenv install --system --deploy
