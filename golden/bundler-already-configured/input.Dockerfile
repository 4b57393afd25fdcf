FROM ruby:3.3-slim
ENV BUNDLE_WITHOUT="development:test"
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install
