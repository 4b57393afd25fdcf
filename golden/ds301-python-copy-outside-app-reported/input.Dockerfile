FROM python:3.11
WORKDIR /srv
COPY . .
COPY nginx.conf /etc/nginx/nginx.conf
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python", "app.py"]
