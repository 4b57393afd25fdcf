FROM python:3.12-slim
WORKDIR /srv
COPY constraints.txt requirements.txt ./
COPY requirements/base.txt ./requirements/
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "app.py"]
