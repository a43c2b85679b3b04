package support;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Every thread of this JVM with its whole stack and the locks it holds or waits for, as text. A wait for a job that
 * times out prints one, so a job that hangs in a test (API, worker and emulators all run in the test's JVM) says
 * where it hangs; {@link ThreadInfo#toString()} stops at eight frames, too few to see past a pool's queue. The
 * heading gives the heap and the time spent in GC so far, so a JVM that stalled as a whole (a GC storm) can be told
 * from threads that wait on each other. On JDK 21+ the platform dump leaves out virtual threads: a JSON dump of
 * all threads is written to a file as well, and its path printed.
 */
public final class ThreadDump {
    private ThreadDump() {}

    public static String ofThisJvm() {
        StringBuilder out = new StringBuilder("Thread dump of this JVM at ").append(Instant.now()).append('\n');
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        out.append("Uptime ").append(ManagementFactory.getRuntimeMXBean().getUptime()).append(" ms, load average ")
                .append(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()).append(", heap used ")
                .append(heap.getUsed() >> 20).append(" of ").append(heap.getMax() >> 20).append(" MiB");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            out.append(", ").append(gc.getName()).append(' ').append(gc.getCollectionCount()).append(" runs ")
                    .append(gc.getCollectionTime()).append(" ms");
        }
        out.append('\n');
        for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            out.append('\n').append('"').append(thread.getThreadName()).append("\" #").append(thread.getThreadId())
                    .append(thread.isDaemon() ? " daemon" : "").append(' ').append(thread.getThreadState());
            if (thread.getLockName() != null) {
                out.append(" on ").append(thread.getLockName());
            }
            if (thread.getLockOwnerName() != null) {
                out.append(" owned by \"").append(thread.getLockOwnerName()).append("\" #")
                        .append(thread.getLockOwnerId());
            }
            out.append('\n');
            StackTraceElement[] stack = thread.getStackTrace();
            for (int i = 0; i < stack.length; i++) {
                out.append("\tat ").append(stack[i]).append('\n');
                for (MonitorInfo monitor : thread.getLockedMonitors()) {
                    if (monitor.getLockedStackDepth() == i) {
                        out.append("\t- locked ").append(monitor).append('\n');
                    }
                }
            }
            LockInfo[] synchronizers = thread.getLockedSynchronizers();
            if (synchronizers.length > 0) {
                out.append("\tLocked synchronizers:\n");
                for (LockInfo lock : synchronizers) {
                    out.append("\t- ").append(lock).append('\n');
                }
            }
        }
        return out.toString();
    }

    /** Prints the dump to the test's output (surefire keeps it in the test's report) with why it was taken. */
    public static void print(String why) {
        String virtual = virtualThreadsDump();
        System.out.println("=== " + why + " ===\n" + ofThisJvm() + (virtual == null ? "" : virtual + "\n")
                + "=== end of thread dump ===");
        System.out.flush();
    }

    /** JDK 21+: every thread, virtual ones included, as JSON in a file; says where, or why not. Null before 21. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String virtualThreadsDump() {
        if (Runtime.version().feature() < 21) {
            return null;
        }
        try {
            Path file = Files.createTempFile("threads-", ".json");
            Files.delete(file);
            Class<?> bean = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            Class<Enum> format = (Class<Enum>) Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
            Object diagnostics = ManagementFactory.getPlatformMXBean(
                    bean.asSubclass(java.lang.management.PlatformManagedObject.class));
            bean.getMethod("dumpThreads", String.class, format)
                    .invoke(diagnostics, file.toString(), Enum.valueOf(format, "JSON"));
            return "All threads, virtual ones included: " + file;
        } catch (ReflectiveOperationException | java.io.IOException | RuntimeException e) {
            return "No dump of the virtual threads: " + e;
        }
    }
}
