FROM node:18-slim
ENV NODE_ENV=production
WORKDIR /usr/src/app
COPY . .
RUN npm ci --omit=dev
EXPOSE 8080
RUN chown -R node /usr/src/app
USER node
CMD ["node", "server.js"]
