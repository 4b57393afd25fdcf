FROM node:20
WORKDIR /app
COPY . .
RUN yarn install --frozen-lockfile
RUN yarn build
CMD ["node", "build/server.js"]
