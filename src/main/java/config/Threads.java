package config;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Thread pools for blocking I/O: virtual threads where the runtime has them (JDK 21+, as in the container images),
 * a fixed pool of platform threads otherwise. The bytecode targets Java 17, hence the reflection.
 */
final class Threads {
    private Threads() {}

    static ExecutorService pool(String name, int platformThreads) {
        ExecutorService virtual = virtualThreadPerTask(name);
        return virtual != null
                ? virtual
                : Executors.newFixedThreadPool(platformThreads, InfrastructureConfiguration.named(name));
    }

    static boolean virtualThreadsAvailable() {
        return Runtime.version().feature() >= 21;
    }

    private static ExecutorService virtualThreadPerTask(String name) {
        if (!virtualThreadsAvailable()) {
            return null;
        }
        try {
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, name + "-", 1L);
            ThreadFactory factory = (ThreadFactory) builderType.getMethod("factory").invoke(builder);
            Method perTask = Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class);
            return (ExecutorService) perTask.invoke(null, factory);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
