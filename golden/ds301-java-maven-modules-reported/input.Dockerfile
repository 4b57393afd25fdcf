FROM maven:3.9-eclipse-temurin-17
WORKDIR /app
COPY . .
RUN mvn -B package
CMD ["java", "-jar", "server/target/server-1.4.2.jar"]
