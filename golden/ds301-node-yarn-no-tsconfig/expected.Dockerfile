FROM node:20 AS build
WORKDIR /app
COPY . .
RUN yarn install --frozen-lockfile
RUN yarn build

FROM gcr.io/distroless/nodejs20-debian12:nonroot
WORKDIR /app
ENV NODE_ENV=production
COPY package.json ./
COPY --from=build /app/build ./build
USER 65532:65532
CMD ["build/server.js"]
