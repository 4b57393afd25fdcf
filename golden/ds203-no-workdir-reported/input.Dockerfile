FROM node:18-slim
COPY . /srv/app
RUN chown -R node /srv/app
USER node
CMD ["node", "/srv/app/server.js"]
