FROM node:18-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev
COPY . .
USER 1000:1000
EXPOSE 3000
CMD ["node", "server.js"]
