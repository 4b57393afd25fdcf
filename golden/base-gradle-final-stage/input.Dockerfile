FROM gradle:8.5-jdk17 AS build
COPY . /src
RUN gradle -p /src build

FROM gradle:8.5-jdk17
COPY --from=build /src/build/libs/app.jar /app.jar
CMD ["java", "-jar", "/app.jar"]
