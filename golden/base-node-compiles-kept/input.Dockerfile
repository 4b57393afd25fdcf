FROM node:18
RUN apt-get update && apt-get install -y --no-install-recommends build-essential python3 && rm -rf /var/lib/apt/lists/*
COPY . /app
WORKDIR /app
CMD ["node", "server.js"]
