FROM debian:bookworm-slim
RUN apt-get update && apt-get install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN apt-get update && apt-get install --no-install-recommends -y jq && rm -rf /var/lib/apt/lists/*
CMD ["jq", "-r", ".greeting", "/app/greeting.json"]
