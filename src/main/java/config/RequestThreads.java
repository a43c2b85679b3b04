package config;

import org.apache.coyote.ProtocolHandler;
import org.apache.tomcat.util.threads.VirtualThreadExecutor;
import org.springframework.boot.task.SimpleAsyncTaskExecutorBuilder;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.boot.web.embedded.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;

/**
 * The threads requests run on: Tomcat's handlers and the task executor behind Spring MVC's async handling (which
 * Camel's platform-http routes and the upload's reading run on) are virtual threads when the JVM running the jar
 * has them (JDK 21+, as in the container images), else Tomcat's own pool and {@code spring.task.execution.pool}.
 *
 * <p>Why not Spring Boot's {@code spring.threads.virtual.enabled}: it is a condition on the JVM, and with Spring AOT
 * (used when the service runs from its jar) conditions are decided when the jar is built. A jar built on JDK 17
 * (the README's, and the benchmark's) then ran on platform threads even under JDK 25, unlike the images, which are
 * built on JDK 25. Deciding here, when the beans are created, makes a jar behave the same whichever JDK built it.
 * The property stays on all the same: camel-spring-boot reads it when the service starts, not at build time, to give
 * Camel's thread pools (the worker's jobs) virtual threads.
 */
@Configuration(proxyBeanMethods = false)
class RequestThreads {

    @Bean
    TomcatProtocolHandlerCustomizer<ProtocolHandler> virtualRequestThreads() {
        return handler -> {
            if (Threads.virtualThreadsAvailable()) {
                handler.setExecutor(new VirtualThreadExecutor("tomcat-handler-"));
            }
        };
    }

    /**
     * Named as Spring Boot's own, which steps aside, so MVC's async support and platform-http pick this one. Built by
     * Spring Boot's builders, so both carry the task decorator (the log context of the request, MdcTaskDecorator).
     */
    @Bean(name = {"applicationTaskExecutor", "taskExecutor"})
    AsyncTaskExecutor applicationTaskExecutor(SimpleAsyncTaskExecutorBuilder perTask, ThreadPoolTaskExecutorBuilder pool) {
        return Threads.virtualThreadsAvailable() ? perTask.virtualThreads(true).build() : pool.build();
    }
}
