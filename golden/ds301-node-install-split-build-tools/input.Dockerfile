FROM node:20-bookworm
ENV NODE_ENV=production
WORKDIR /app
RUN apt-get update && apt-get install -y python3 make g++
COPY . .
RUN npm install
USER node
CMD ["npm", "start"]
