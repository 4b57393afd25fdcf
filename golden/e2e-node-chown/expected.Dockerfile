FROM node:18-slim
ENV NODE_ENV=production
WORKDIR /usr/src/app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force && chown -R node /usr/src/app
COPY --chown=node:root . .
EXPOSE 8080
USER node
CMD ["node", "server.js"]
