FROM gradle:8.5-jdk17 AS build
COPY . /src
RUN gradle -p /src build

FROM eclipse-temurin:17-jre
COPY --from=build /src/build/libs/app.jar /app.jar
CMD ["java", "-jar", "/app.jar"]
