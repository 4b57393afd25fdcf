# Hand-optimized reference (written for dockslim's bench): the app loads a
# devDependency at run time, so all dependencies stay; the cache goes.
FROM node:current-slim
WORKDIR /usr/src/app
COPY package.json .
RUN npm install && npm cache clean --force
COPY . .
USER node
EXPOSE 8080
CMD ["npm", "start"]
