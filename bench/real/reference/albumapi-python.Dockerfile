# Hand-optimized reference (written for dockslim's bench): the requirements
# have wheels for the slim image, so the full image's compilers are not needed.
FROM python:3.11-slim
WORKDIR /code
COPY requirements.txt .
RUN pip3 install --no-cache-dir -r requirements.txt
COPY . .
EXPOSE 8080
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8080"]
