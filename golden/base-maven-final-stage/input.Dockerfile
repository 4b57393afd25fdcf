FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B package

FROM maven:3.9.6-eclipse-temurin-21
COPY --from=build /src/target/app.jar /app.jar
CMD ["java", "-jar", "/app.jar"]
