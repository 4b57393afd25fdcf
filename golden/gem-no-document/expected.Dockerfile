FROM ruby:3.3-slim
RUN gem install --no-document bundler -v 2.5.6
