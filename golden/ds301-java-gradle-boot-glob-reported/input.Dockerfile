FROM gradle:8.5-jdk17
WORKDIR /home/gradle/project
COPY . .
RUN gradle build --no-daemon
CMD java -jar build/libs/*.jar
