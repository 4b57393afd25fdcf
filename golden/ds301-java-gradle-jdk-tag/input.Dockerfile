FROM gradle:jdk21
WORKDIR /home/gradle/project
COPY --chown=gradle:gradle . .
RUN gradle build --no-daemon -x test
ENTRYPOINT ["java", "-jar", "build/libs/inventory-0.3.0.jar"]
