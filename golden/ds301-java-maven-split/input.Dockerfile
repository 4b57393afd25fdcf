FROM maven:3.9-eclipse-temurin-17
WORKDIR /app
ENV JAVA_OPTS="-Xmx256m"
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY src ./src
RUN mvn -B package -DskipTests
EXPOSE 8080
CMD ["java", "-jar", "target/shop-1.4.2.jar"]
