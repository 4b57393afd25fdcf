FROM eclipse-temurin:17-jdk
WORKDIR /build
COPY . .
RUN ./gradlew build --no-daemon
