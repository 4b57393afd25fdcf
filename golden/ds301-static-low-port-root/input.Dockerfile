FROM node:18
WORKDIR /app
COPY . .
RUN npm install
RUN npm run build
RUN npm install -g serve && npm cache clean --force
EXPOSE 80
CMD serve -s build -l 80
