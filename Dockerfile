# Panel One API image: `java -jar panel-one.jar start` on Cloud Run.
# Dockerfile.worker is this file with `worker` in place of `start` and its own
# heap share; keep the two in step so Cloud Build reuses the build stage's
# layers for the second image.

# ---- build: one jar, target/panel-one.jar -------------------------------------
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /build
# The pom alone first: dependencies stay in a cached layer until the pom changes,
# so a source-only change skips the download.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q -DskipTests package

# ---- runtime: JRE 25, extracted jar, AOT cache --------------------------------
FROM eclipse-temurin:25-jre

# The extracted layout (jar + lib/) starts faster than the fat jar and is what
# the AOT cache below is keyed to. extract wants a fresh destination, so /app
# is created by it rather than by WORKDIR.
COPY --from=build /build/target/panel-one.jar /tmp/panel-one.jar
RUN java -Djarmode=tools -jar /tmp/panel-one.jar extract --destination /app \
    && rm /tmp/panel-one.jar
WORKDIR /app

# AOT training run (JDK 25, JEP 483/514/515): start the service fully, answer
# one GET /health, then exit, recording loaded and linked classes and method
# profiles into app.aot. Halting at context refresh instead would leave Tomcat,
# Camel and the first request out of the cache: they are most of a cold start.
# Without REDIS_URL the training run starts the embedded Redis the local
# command uses; storage and Gemini are not reachable and not needed to start.
# The values below only let configuration bind; they are scoped to this RUN so
# none of them reaches the running service. The JVM flags match the
# ENTRYPOINT's, so the cache is accepted at run time.
RUN env PORT=8080 \
        PROJECT_ID=training \
        BUCKET_NAME=panel-one-outputs \
        GEMINI_API_KEY=training \
        STORAGE_EMULATOR_HOST=http://127.0.0.1:1 \
    java -XX:AOTCacheOutput=app.aot \
         -XX:+UseSerialGC -XX:MaxRAMPercentage=62.5 -XX:+ExitOnOutOfMemoryError \
         -Dpanel.aot-training=true \
         -jar panel-one.jar start

# Unprivileged user; the image's files stay root-owned and read-only to it.
RUN groupadd --system --gid 10001 panel \
    && useradd --system --uid 10001 --gid panel --home-dir /tmp --shell /usr/sbin/nologin panel
USER panel

# Cloud Run sets PORT; the app reads it and falls back to 8080.
ENV PORT=8080
EXPOSE 8080

# SerialGC is what the JVM picks on a 1-vCPU Cloud Run instance anyway; naming it
# keeps training and run time on the same collector. 62.5% of the container's
# memory for the heap (320 MiB of Cloud Run's default 512 MiB): uploads stream
# to disk, so the heap needs little, and with metaspace, threads and buffers
# the process peaks under 400 MiB at full intake (BENCHMARKS.md B3; at 75% it
# peaked at 437 MiB). An OutOfMemoryError ends the process so Cloud Run
# replaces the instance.
ENTRYPOINT ["java", "-XX:AOTCache=app.aot", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=62.5", "-XX:+ExitOnOutOfMemoryError", "-jar", "panel-one.jar"]
CMD ["start"]
