# Stand-in for maven:3.8-eclipse-temurin-17: Debian's Maven 3.8 and OpenJDK 17
# JDK. Maven Central is not reachable from builds here, so Maven runs offline
# on Debian's packaged repository (/usr/share/maven-repo), which holds the
# plugins of the default lifecycle: apps pin plugin versions it has and use
# no other dependencies.
FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends maven openjdk-17-jdk-headless \
       libmaven-clean-plugin-java libmaven-resources-plugin-java \
       libmaven-compiler-plugin-java libsurefire-java libmaven-jar-plugin-java \
       libmaven-install-plugin-java libmaven-deploy-plugin-java \
       libmaven-site-plugin-java libmaven-dependency-plugin-java \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /root/.m2 \
    && printf '%s\n' '<settings>' \
       '  <localRepository>/usr/share/maven-repo</localRepository>' \
       '  <offline>true</offline>' '</settings>' > /root/.m2/settings.xml
CMD ["mvn", "-v"]
