FROM node:18
WORKDIR /app
COPY . .
RUN npm ci
RUN npm run build
RUN npm install -g serve@14
EXPOSE 3000
CMD ["serve", "-s", "build", "-l", "3000"]
