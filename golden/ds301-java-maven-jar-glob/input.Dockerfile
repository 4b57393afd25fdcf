FROM maven:3.9-eclipse-temurin-21
WORKDIR /app
COPY . .
RUN mvn -B -q package -DskipTests
CMD java -jar target/*.jar
