package bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where two cores' time went during a window: the CPU of each process the benchmark runs (with its descendants),
 * the driver's own, and the machine's busy and idle time from {@code /proc/stat}, so a wall time can be split into
 * what each process used, what other tenants used, and what stayed idle.
 */
final class CpuWindow {
    private static final long CLOCK_TICKS = Long.parseLong(System.getenv().getOrDefault("BENCH_CLK_TCK", "100"));

    private final Map<String, Long> pids;
    private final Map<String, Double> startCpu = new LinkedHashMap<>();
    private final long[] startMachine;
    private final long startNanos;

    private CpuWindow(Map<String, Long> pids) {
        this.pids = pids;
        for (Map.Entry<String, Long> each : pids.entrySet()) {
            startCpu.put(each.getKey(), cpuMillis(each.getValue()));
        }
        startMachine = machineTicks();
        startNanos = System.nanoTime();
    }

    /** Starts a window over these processes (name → pid; pid 0 = this JVM alone, without its children). */
    static CpuWindow start(Map<String, Long> pids) {
        return new CpuWindow(pids);
    }

    /** The split since the start, in seconds: each process, "others" (the rest of the machine's busy time), idle. */
    Map<String, Double> end() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        double ours = 0;
        for (Map.Entry<String, Long> each : pids.entrySet()) {
            double used = (cpuMillis(each.getValue()) - startCpu.get(each.getKey())) / 1000.0;
            seconds.put(each.getKey(), used);
            ours += used;
        }
        long[] machine = machineTicks();
        double busy = (machine[0] - startMachine[0]) / (double) CLOCK_TICKS;
        double idle = (machine[1] - startMachine[1]) / (double) CLOCK_TICKS;
        seconds.put("others", Math.max(0, busy - ours));
        seconds.put("idle", idle);
        seconds.put("wall", (System.nanoTime() - startNanos) / 1e9);
        return seconds;
    }

    /** "api 3.1 s, worker 9.0 s, …, idle 2.0 s of 2 x 12.3 s". */
    static String describe(Map<String, Double> seconds) {
        List<String> parts = new ArrayList<>();
        seconds.forEach((name, value) -> {
            if (!name.equals("wall")) {
                parts.add(String.format("%s %.1f s", name, value));
            }
        });
        return String.join(", ", parts) + String.format(" (wall %.1f s)", seconds.get("wall"));
    }

    /** The pid of a child process of this JVM whose command line contains every given word, or -1 (counted as 0 s). */
    static long childPid(String... words) {
        return ProcessHandle.current().children()
                .filter(child -> {
                    String line = commandLine(child.pid());
                    for (String word : words) {
                        if (!line.contains(word)) {
                            return false;
                        }
                    }
                    return true;
                })
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
    }

    /**
     * /proc/PID/cmdline as text: redis-server rewrites it to its process title ("… 127.0.0.1:PORT"), which
     * {@code ProcessHandle.Info} then reports without arguments.
     */
    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static double cpuMillis(long pid) {
        if (pid != 0) {
            return Services.treeCpuMillis(pid);
        }
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime only: this JVM's children are the services, counted apart
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1000.0 / CLOCK_TICKS;
        } catch (IOException e) {
            return 0;
        }
    }

    /** {busy, idle} ticks of all CPUs since boot, from the first line of /proc/stat. */
    private static long[] machineTicks() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            long busy = 0;
            for (int i = 1; i <= 8; i++) {
                busy += i == 4 || i == 5 ? 0 : Long.parseLong(fields[i]);
            }
            return new long[] {busy, idle};
        } catch (IOException e) {
            return new long[] {0, 0};
        }
    }
}
