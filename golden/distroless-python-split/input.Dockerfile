FROM python:3.11-bookworm
ENV PYTHONUNBUFFERED=1
WORKDIR /srv/app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
EXPOSE 8000
CMD ["python", "-m", "app"]
