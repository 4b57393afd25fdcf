FROM maven:3.9-eclipse-temurin-21
WORKDIR /app
COPY . .
RUN mvn -B package && cp target/*.jar app.jar
CMD ["java", "-jar", "app.jar"]
