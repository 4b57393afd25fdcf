FROM python:3.11
WORKDIR /srv
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
RUN python manage.py collectstatic --noinput
CMD ["python", "app.py"]
