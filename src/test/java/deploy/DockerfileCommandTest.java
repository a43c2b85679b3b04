package deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Dockerfile reader against the syntax docker build accepts, so the argv it reports is the one run. */
class DockerfileCommandTest {

    @TempDir
    Path dir;

    private List<String> finalCommand(String dockerfile) throws IOException {
        Path file = dir.resolve("Dockerfile");
        Files.writeString(file, dockerfile);
        return DockerfileCommand.finalCommand(file);
    }

    @Test
    void joinsEntrypointAndCmdOfTheLastStageOnly() throws IOException {
        assertThat(finalCommand("""
                FROM maven AS build
                ENTRYPOINT ["mvn"]
                CMD ["package"]

                FROM eclipse-temurin:25-jre
                WORKDIR /app
                ENTRYPOINT ["java", "-jar", "panel-one.jar"]
                CMD ["start"]
                """)).containsExactly("java", "-jar", "panel-one.jar", "start");
    }

    @Test
    void joinsContinuedLinesAndSkipsCommentsAndBlankLinesInside() throws IOException {
        assertThat(finalCommand("""
                FROM eclipse-temurin:25-jre
                ENTRYPOINT ["java", \\
                # a comment inside the instruction
                            "-XX:MaxRAMPercentage=75", \\

                            "-jar", "panel-one.jar"]
                CMD ["worker"]
                """)).containsExactly("java", "-XX:MaxRAMPercentage=75", "-jar", "panel-one.jar", "worker");
    }

    @Test
    void honoursTheEscapeDirective() throws IOException {
        assertThat(finalCommand("""
                # escape=`
                FROM mcr.microsoft.com/windows/servercore
                ENTRYPOINT ["java", `
                            "-jar", "C:\\\\app\\\\panel-one.jar"]
                """)).containsExactly("java", "-jar", "C:\\app\\panel-one.jar");
    }

    @Test
    void shellFormRunsThroughTheShellInForce() throws IOException {
        assertThat(finalCommand("""
                FROM debian
                CMD java -jar panel-one.jar start
                """)).containsExactly("/bin/sh", "-c", "java -jar panel-one.jar start");
        assertThat(finalCommand("""
                FROM debian
                SHELL ["/bin/bash", "-o", "pipefail", "-c"]
                ENTRYPOINT exec java -jar panel-one.jar
                """)).containsExactly("/bin/bash", "-o", "pipefail", "-c", "exec java -jar panel-one.jar");
    }

    @Test
    void aStageFromAnEarlierStageInheritsItsCommand() throws IOException {
        assertThat(finalCommand("""
                FROM eclipse-temurin:25-jre AS base
                ENTRYPOINT ["java", "-jar", "panel-one.jar"]
                CMD ["start"]

                FROM base AS worker
                CMD ["worker"]
                """)).containsExactly("java", "-jar", "panel-one.jar", "worker");
    }

    @Test
    void entrypointDropsAnInheritedCmdButKeepsOneSetInTheSameStage() throws IOException {
        assertThat(finalCommand("""
                FROM eclipse-temurin:25-jre AS base
                CMD ["start"]
                FROM base
                ENTRYPOINT ["java", "-jar", "panel-one.jar"]
                """)).containsExactly("java", "-jar", "panel-one.jar");
        assertThat(finalCommand("""
                FROM eclipse-temurin:25-jre
                CMD ["start"]
                ENTRYPOINT ["java", "-jar", "panel-one.jar"]
                """)).containsExactly("java", "-jar", "panel-one.jar", "start");
    }

    @Test
    void heredocBodiesAreNotInstructions() throws IOException {
        assertThat(finalCommand("""
                # syntax=docker/dockerfile:1
                FROM debian
                RUN <<EOF
                CMD ["not", "an", "instruction"]
                EOF
                CMD ["java", "-version"]
                """)).containsExactly("java", "-version");
    }

    @Test
    void reportsTheFinalWorkdir() throws IOException {
        Path file = dir.resolve("Dockerfile");
        Files.writeString(file, """
                FROM maven AS build
                WORKDIR /build
                FROM eclipse-temurin:25-jre
                WORKDIR /app
                WORKDIR lib
                CMD ["java"]
                """);
        assertThat(DockerfileCommand.workdir(file)).isEqualTo("/app/lib");
    }

    @Test
    void refusesAFinalStageWithoutACommand() {
        assertThatThrownBy(() -> finalCommand("""
                FROM eclipse-temurin:25-jre AS base
                ENTRYPOINT ["java"]
                FROM eclipse-temurin:25-jre
                """)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("neither ENTRYPOINT nor CMD");
    }
}
