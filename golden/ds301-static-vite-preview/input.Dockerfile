FROM node:20-slim
WORKDIR /app
COPY . .
RUN npm ci
RUN npm run build
EXPOSE 4173
CMD ["npx", "vite", "preview", "--host", "--port", "4173"]
