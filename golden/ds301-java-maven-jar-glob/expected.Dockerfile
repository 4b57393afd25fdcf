FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /app
COPY . .
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:21-jre
WORKDIR /app
COPY --from=build /app/target/shop-1.4.2.jar /app/target/shop-1.4.2.jar
CMD java -jar target/*.jar
