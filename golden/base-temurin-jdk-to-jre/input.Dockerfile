FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B package

FROM eclipse-temurin:17-jdk
COPY --from=build /src/target/app.jar /app.jar
CMD ["java", "-jar", "/app.jar"]
