FROM node:20
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY public ./public
RUN npm ci && npm run build
EXPOSE 3000
CMD ["node", "dist/index.js"]
