FROM python:3.11
COPY . /srv
RUN pip install --no-cache-dir -r /srv/requirements.txt
CMD ["python", "/srv/app.py"]
