FROM python:3.11-slim
WORKDIR /app
# The manifest and the code.
COPY requirements.txt ./
COPY ["src", "./src"]
ENV PORT=8000
# Hand the app to the runtime user.
RUN chown --recursive 1000:1000 .
USER 1000
CMD ["python", "src/main.py"]
