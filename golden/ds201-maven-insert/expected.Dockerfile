FROM maven:3.9-eclipse-temurin-17
WORKDIR /build
COPY pom.xml ./
RUN mvn -B dependency:go-offline
COPY . .
RUN mvn -B package -DskipTests
