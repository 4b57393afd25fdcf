# Hand-optimized reference (written for dockslim's bench): the manifest before
# the sources, the npm cache removed in the install's layer, unprivileged user.
FROM node:16-slim
ENV APP_HOME /app
WORKDIR $APP_HOME
COPY package.json ./
RUN npm install --only=production && npm cache clean --force
COPY . ./
USER node
ENTRYPOINT ["node", "app.js"]
