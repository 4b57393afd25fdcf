FROM ruby:3.3
WORKDIR /app
COPY . .
CMD ["ruby", "app.rb"]
