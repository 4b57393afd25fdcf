FROM maven:3.8-eclipse-temurin-17 AS build
WORKDIR /app
COPY pom.xml ./
RUN mvn -B dependency:go-offline
COPY . .
RUN mvn -B package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /app/target/greeter-1.0.0.jar /app/target/greeter-1.0.0.jar
EXPOSE 8080
CMD ["java", "-jar", "target/greeter-1.0.0.jar"]
