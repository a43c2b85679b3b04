# syntax=docker/dockerfile:1
# Panel One API image: `java -jar panel-one.jar start` on Cloud Run.
# Dockerfile.worker is this file with `worker` in place of `start` and its own
# heap share; keep the two in step so Cloud Build reuses the build stage's
# layers for the second image.

# ---- build: the jars from one package -----------------------------------------
# target/panel-one-service.jar is what the image carries: start and worker only,
# without the emulators, the local command's stand-ins and embedded-redis (whose
# jar bundles redis-server binaries). target/panel-one-standalone.jar has
# everything in one file; the AOT training below runs its driver, redis-server
# and emulators from this stage, and none of it is copied into the image.
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /build
# The pom alone first: dependencies stay in a cached layer until the pom changes,
# so a source-only change skips the download.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q -DskipTests package

# ---- runtime: JRE 25, extracted service jar, AOT cache -------------------------
FROM eclipse-temurin:25-jre

# The extracted layout (jar + lib/) starts faster than the fat jar and is what
# the AOT cache below is keyed to. The service jar is mounted from the build
# stage for this RUN only (BuildKit), so it adds no layer of its own; mounted
# as panel-one.jar, it extracts to /app/panel-one.jar. extract wants a fresh
# destination, so /app is created by it rather than by WORKDIR.
RUN --mount=type=bind,from=build,source=/build/target/panel-one-service.jar,target=/tmp/panel-one.jar \
    java -Djarmode=tools -jar /tmp/panel-one.jar extract --destination /app
WORKDIR /app

# AOT training run (JDK 25, JEP 483/514/515): aot.AotTraining, from the build
# stage's standalone jar, starts redis-server and the storage and Gemini emulators,
# runs the command after `--` (this image's ENTRYPOINT + CMD, with
# -XX:AOTCacheOutput in place of -XX:AOTCache: a cache is only accepted by a
# JVM started with the same flags) beside the other role, waits for /health,
# drives --jobs jobs of four small photos through the public API (POST
# /generate, each watched on its WebSocket, then GET /job), then stops the
# trained JVM with SIGTERM, and the JVM writes app.aot. --jobs 0: the cache
# holds a full start-up (Redis, storage and Gemini reachable) and no job path;
# training on 24 jobs was measured and showed no gain over the first 20 jobs
# after a start beyond the noise (BENCHMARKS.md, "AOT training on real jobs").
# The full jar, the redis-server binary and whatever the run writes to /tmp
# (tmpfs) exist during this RUN only; the services' settings (emulator
# addresses, a stand-in key) exist only in their environment for this run.
# The run fails if a job fails, if no cache is written, or if anything besides
# app.aot is left in /app.
RUN --mount=type=bind,from=build,source=/build/target/panel-one-standalone.jar,target=/training/panel-one.jar \
    --mount=type=tmpfs,target=/tmp \
    java -Djava.awt.headless=true -cp /training/panel-one.jar -Dloader.main=aot.AotTraining \
         org.springframework.boot.loader.launch.PropertiesLauncher --jobs 0 \
      -- java -XX:AOTCacheOutput=app.aot \
              -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxRAMPercentage=62.5 -XX:+ExitOnOutOfMemoryError \
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
# TieredStopAtLevel=1: C1 only, no C2. The API scales to zero, so an instance
# often serves its first jobs cold, and C2 spends those first minutes compiling
# code it pays back only much later. In A/B pairs (BENCHMARKS.md, "JIT flags for
# the API") it cut the API's CPU over the first 20 jobs after a start by about
# 40 % and its start-up CPU by about a third, without a steady-state cost
# beyond the noise. JIT flags are not checked when the cache is mapped, but the
# training above runs this command flag for flag all the same. The worker runs
# C1 only too (Dockerfile.worker says why).
ENTRYPOINT ["java", "-XX:AOTCache=app.aot", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:MaxRAMPercentage=62.5", "-XX:+ExitOnOutOfMemoryError", "-jar", "panel-one.jar"]
CMD ["start"]
