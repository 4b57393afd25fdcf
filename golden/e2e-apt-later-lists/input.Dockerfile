FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl
WORKDIR /app
COPY . .
RUN apt-get install -y jq
CMD ["jq", "-r", ".greeting", "/app/greeting.json"]
