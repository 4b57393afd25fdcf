FROM eclipse-temurin:17-jdk
WORKDIR /build
COPY build.gradle.kts settings.gradle.kts gradlew ./
COPY gradle ./gradle/
RUN ./gradlew dependencies --no-daemon
COPY . .
RUN ./gradlew build --no-daemon
