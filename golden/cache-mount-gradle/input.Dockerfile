FROM gradle:8-jdk17 AS build
ENV GRADLE_USER_HOME=/home/gradle/.gradle
WORKDIR /src
COPY . .
RUN ./gradlew build --no-daemon
