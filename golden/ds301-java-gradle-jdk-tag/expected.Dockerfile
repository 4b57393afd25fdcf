FROM gradle:jdk21 AS build
WORKDIR /home/gradle/project
COPY --chown=gradle:gradle . .
RUN gradle build --no-daemon -x test

FROM eclipse-temurin:21-jre
WORKDIR /home/gradle/project
COPY --from=build /home/gradle/project/build/libs/inventory-0.3.0.jar /home/gradle/project/build/libs/inventory-0.3.0.jar
ENTRYPOINT ["java", "-jar", "build/libs/inventory-0.3.0.jar"]
