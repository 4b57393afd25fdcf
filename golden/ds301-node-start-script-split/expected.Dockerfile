FROM node:20 AS build
WORKDIR /srv/orders
COPY . .
RUN npm ci
RUN npm run build

FROM node:20 AS deps
WORKDIR /srv/orders
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

FROM gcr.io/distroless/nodejs20-debian12:nonroot
WORKDIR /srv/orders
ENV NODE_ENV=production
COPY package.json ./
COPY --from=deps /srv/orders/node_modules ./node_modules
COPY --from=build /srv/orders/dist ./dist
USER 65532:65532
EXPOSE 3000
CMD ["--enable-source-maps", "dist/server.js"]
