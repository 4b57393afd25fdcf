FROM node:18-slim
WORKDIR /app
RUN npm ci
COPY entrypoint.sh /usr/local/bin/
RUN chown -R node /app
USER node
ENTRYPOINT ["entrypoint.sh"]
