FROM python:3.11-slim
WORKDIR /app
# Hand the app to the runtime user.
RUN chown --recursive 1000:1000 .
# The manifest and the code.
COPY --chown=1000:1000 requirements.txt ./
COPY --chown=1000:1000 ["src", "./src"]
ENV PORT=8000
USER 1000
CMD ["python", "src/main.py"]
