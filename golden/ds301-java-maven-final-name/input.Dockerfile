FROM openjdk:17
WORKDIR /usr/src/shop
COPY . .
RUN ./mvnw -B clean package
CMD java -jar /usr/src/shop/target/shop.jar
