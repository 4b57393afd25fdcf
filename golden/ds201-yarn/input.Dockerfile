FROM node:18-slim
WORKDIR /app
COPY . /app
RUN yarn install --frozen-lockfile
RUN yarn build
