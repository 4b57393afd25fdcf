FROM node:18-slim
WORKDIR /app
COPY package.json package-lock.json /app/
RUN npm ci
COPY . /app
