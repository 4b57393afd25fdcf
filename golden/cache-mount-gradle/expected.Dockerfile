FROM gradle:8-jdk17 AS build
ENV GRADLE_USER_HOME=/home/gradle/.gradle
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/home/gradle/.gradle/caches ./gradlew build --no-daemon
