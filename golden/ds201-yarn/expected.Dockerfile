FROM node:18-slim
WORKDIR /app
COPY package.json yarn.lock .yarnrc.yml /app/
COPY .yarn/releases /app/.yarn/releases/
RUN yarn install --frozen-lockfile
COPY . /app
RUN yarn build
