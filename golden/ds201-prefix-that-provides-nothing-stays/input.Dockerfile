FROM node:20-slim
WORKDIR /app
COPY . .
RUN echo building && npm ci && npm run build
CMD ["node", "dist/index.js"]
