package support;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.time.Instant;

/**
 * Every thread of this JVM with its whole stack and the locks it holds or waits for, as text. A wait for a job that
 * times out prints one, so a job that hangs in a test (API, worker and emulators all run in the test's JVM) says
 * where it hangs; {@link ThreadInfo#toString()} stops at eight frames, too few to see past a pool's queue.
 */
public final class ThreadDump {
    private ThreadDump() {}

    public static String ofThisJvm() {
        StringBuilder out = new StringBuilder("Thread dump of this JVM at ").append(Instant.now()).append('\n');
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
        System.out.println("=== " + why + " ===\n" + ofThisJvm() + "=== end of thread dump ===");
        System.out.flush();
    }
}
