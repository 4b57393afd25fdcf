FROM node:18-slim
WORKDIR /app
RUN npm install -g serve
COPY . .
USER node
RUN chown -R node /app
CMD ["serve", "/app"]
