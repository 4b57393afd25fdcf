# Hand-optimized reference (written for dockslim's bench): the original's
# `RUN chown -R node /usr/src/app` after the source copy re-ran on every
# rebuild and copied the sources into a second layer; the app folder is
# given to `node` once before the copies and the copy sets the owner.
FROM node:lts-alpine
ENV NODE_ENV=production
WORKDIR /usr/src/app
RUN chown node /usr/src/app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force && mv node_modules ../
COPY --chown=node . .
EXPOSE 8080
USER node
CMD ["npm", "start"]
