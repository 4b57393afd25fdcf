FROM node:18-slim
WORKDIR /app
COPY . .
ENV PATH=/app/bin:$PATH
RUN chown -R node /app
USER node
CMD ["node", "server.js"]
