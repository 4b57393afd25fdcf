FROM ruby:3.2 AS build
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install
