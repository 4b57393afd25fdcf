FROM python:3.11
WORKDIR /srv
COPY . .
RUN pip install --user --no-cache-dir -r requirements.txt
CMD ["python", "app.py"]
