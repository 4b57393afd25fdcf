FROM maven:3.8-eclipse-temurin-17
WORKDIR /app
COPY . .
RUN mvn -B package
EXPOSE 8080
CMD ["java", "-jar", "target/greeter-1.0.0.jar"]
