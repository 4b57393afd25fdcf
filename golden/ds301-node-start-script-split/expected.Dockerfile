FROM node:20 AS build
WORKDIR /srv/orders
COPY . .
RUN npm ci
RUN npm run build

FROM node:20-slim
WORKDIR /srv/orders
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /srv/orders/dist ./dist
USER 1000:1000
EXPOSE 3000
CMD ["npm", "start"]
