FROM python:3.12-slim
WORKDIR /app
ENV PIP_CONFIG_FILE=/app/pip.conf
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
