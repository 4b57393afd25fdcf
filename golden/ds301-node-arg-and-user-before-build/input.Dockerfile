FROM node:20
ARG APP_VERSION=1.0.0
ENV APP_VERSION=$APP_VERSION
WORKDIR /home/node/app
COPY --chown=node:node . .
USER node
RUN npm ci && npm run build
EXPOSE 3000
CMD ["node", "dist/index.js"]
