FROM ruby:3.3-slim
WORKDIR /app
COPY . .
CMD ["ruby", "app.rb"]
