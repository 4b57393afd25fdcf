FROM node:20
ENV PORT=8080
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && npm cache clean --force
COPY . .
USER node
RUN npm run build
CMD ["npm", "start"]
