# Hand-optimized reference (written for dockslim's bench).
FROM node:lts-alpine
ENV NODE_ENV=production
WORKDIR /usr/src/app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY . .
EXPOSE 8080
USER node
CMD ["npm", "start"]
