FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN echo building && npm run build
CMD ["node", "dist/index.js"]
