# Hand-optimized reference (written for dockslim's bench).
FROM node:20-alpine
ENV NODE_ENV production
WORKDIR /app
COPY src/package*.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY src/. .
USER node
EXPOSE 3000
ENTRYPOINT ["npm", "start"]
