FROM node:20
WORKDIR /app
COPY . .
RUN npm ci && npm run build
USER 1000:1000
EXPOSE 3000
CMD ["node", "dist/index.js"]
