FROM node:22
WORKDIR /srv
COPY . .
CMD ["npm", "start"]
