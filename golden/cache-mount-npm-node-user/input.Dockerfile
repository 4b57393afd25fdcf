FROM node:18-slim
USER node
WORKDIR /home/node/app
COPY --chown=node package.json package-lock.json ./
RUN npm ci && npm cache clean --force
