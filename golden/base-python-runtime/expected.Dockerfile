FROM gcr.io/distroless/python3-debian12:nonroot
WORKDIR /app
COPY . .
CMD ["app.py"]
