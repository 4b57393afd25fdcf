FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /app
ENV JAVA_OPTS="-Xmx256m"
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY src ./src
RUN mvn -B package -DskipTests

FROM eclipse-temurin:17-jre
WORKDIR /app
ENV JAVA_OPTS="-Xmx256m"
COPY --from=build /app/target/shop-1.4.2.jar /app/target/shop-1.4.2.jar
EXPOSE 8080
CMD ["java", "-jar", "target/shop-1.4.2.jar"]
