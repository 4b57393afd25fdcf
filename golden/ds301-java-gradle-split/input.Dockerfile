FROM gradle:8.5-jdk17
WORKDIR /home/gradle/project
COPY --chown=gradle:gradle . .
RUN gradle build --no-daemon -x test
ENTRYPOINT ["java", "-jar", "build/libs/inventory-0.3.0.jar"]
