FROM ruby:3.3-slim
WORKDIR /app
COPY . .
RUN apt-get update && apt-get install -y --no-install-recommends build-essential && bundle install
CMD ["ruby", "app.rb"]
