FROM maven:3.9-amazoncorretto-17 AS build
COPY . /src
RUN mvn -f /src/pom.xml -B package

FROM amazoncorretto:17
COPY --from=build /src/target/app.jar /app.jar
ENTRYPOINT ["java", "-jar", "/app.jar"]
