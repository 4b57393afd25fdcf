FROM node:20
WORKDIR /srv/orders
COPY . .
RUN npm ci
RUN npm run build
EXPOSE 3000
CMD ["npm", "start"]
