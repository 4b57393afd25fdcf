FROM openjdk:17 AS build
WORKDIR /usr/src/shop
COPY . .
RUN ./mvnw -B clean package

FROM eclipse-temurin:17-jre
WORKDIR /usr/src/shop
COPY --from=build /usr/src/shop/target/shop.jar /usr/src/shop/target/shop.jar
CMD java -jar /usr/src/shop/target/shop.jar
