FROM ruby:3.3-slim
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN gem install --no-document bundler && bundle config set without 'development test' && bundle install --jobs 4
COPY . .
CMD ["bundle", "exec", "puma"]
