package bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JVM's CPU split by thread, user and system time apart, from /proc/PID/task/TID/stat: JFR samples only Java frames,
 * so the kernel's share (socket and file I/O) and the JIT compiler's threads are invisible to it. Threads are grouped
 * by their kernel name (comm: the Java thread name cut to 15 characters).
 */
final class ThreadSplit {
    private static final long CLOCK_TICKS = Long.parseLong(System.getenv().getOrDefault("BENCH_CLK_TCK", "100"));

    /** Group id, what it holds, and the comm prefixes that select it; the first match wins, "other" takes the rest. */
    private static final List<String[]> GROUPS = List.of(
            new String[] {"c1", "JIT C1 compiler", "C1 CompilerThre"},
            new String[] {"c2", "JIT C2 compiler", "C2 CompilerThre"},
            // SerialGC (the images' flag) collects in the VM thread at a safepoint; other collectors have their own.
            new String[] {"gc", "GC and safepoints (VM Thread, GC threads)", "VM Thread", "GC Thread", "G1 ", "ZGC"},
            // Virtual threads (Tomcat's requests, Camel's routes, storage-io, input-upload, ws-send) run on these.
            new String[] {"carriers", "virtual-thread carriers (ForkJoinPool-N-worker)", "ForkJoinPool-"},
            new String[] {"tomcat", "Tomcat platform threads (http-nio poller, acceptor, exec)", "http-nio"},
            new String[] {"redis", "Lettuce / Netty event loops", "lettuce-", "nioEventLoop", "epollEventLoop",
                    "globalEventExec", "status-events"},
            new String[] {"camel", "Camel's own threads", "Camel "},
            new String[] {"other", "other live threads"});

    static final String METHOD = "utime or stime of each thread of the API or worker JVM from"
            + " /proc/PID/task/TID/stat, grouped by thread name (comm); a thread alive at the second read counts its"
            + " time since the first (all of it when it started later); exited = the process's own /proc/PID/stat"
            + " delta minus the live threads', so the groups sum to the process";

    /** The groups' ids in report order, with "exited" last: threads that ended within the window. */
    static final List<String> IDS;

    static {
        List<String> ids = new ArrayList<>(GROUPS.stream().map(group -> group[0]).toList());
        ids.add("exited");
        IDS = List.copyOf(ids);
    }

    static String describe(String id) {
        return id.equals("exited") ? "threads that ended within the window (process total minus live threads)"
                : GROUPS.stream().filter(group -> group[0].equals(id)).findFirst().orElseThrow()[1];
    }

    static String group(String comm) {
        for (String[] group : GROUPS) {
            for (int i = 2; i < group.length; i++) {
                if (comm.startsWith(group[i])) {
                    return group[0];
                }
            }
        }
        return "other";
    }

    /** One thread's ticks; start time (in ticks since boot) tells a reused TID from the thread seen before. */
    record Task(String comm, long start, long user, long sys) {}

    /** The process's own user/sys ticks (which include its ended threads) and each live thread's. */
    record Snapshot(long user, long sys, Map<Long, Task> threads) {
        static final Snapshot EMPTY = new Snapshot(0, 0, Map.of());
    }

    static Snapshot take(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        Map<Long, Task> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
            for (Path task : tasks) {
                Task thread = read(task.resolve("stat"));
                if (thread != null) {
                    threads.put(Long.parseLong(task.getFileName().toString()), thread);
                }
            }
        } catch (IOException e) {
            return Snapshot.EMPTY; // the process is gone
        }
        // Read after the threads, so a thread ending meanwhile lands in "exited" rather than counted twice.
        Task self = read(proc.resolve("stat"));
        return self == null ? Snapshot.EMPTY : new Snapshot(self.user(), self.sys(), threads);
    }

    private static Task read(Path stat) {
        try {
            String line = Files.readString(stat);
            // comm is in parentheses and may hold spaces or parentheses itself: the fields start after the last ')'.
            int close = line.lastIndexOf(')');
            String comm = line.substring(line.indexOf('(') + 1, close);
            String[] fields = line.substring(close + 2).split(" ");
            // fields[0] is field 3 (state): utime is field 14, stime 15, starttime 22.
            return new Task(comm, Long.parseLong(fields[19]), Long.parseLong(fields[11]), Long.parseLong(fields[12]));
        } catch (IOException | RuntimeException e) {
            return null; // ended between the listing and the read
        }
    }

    /**
     * Milliseconds of {user, sys} per group between two snapshots of one process. A thread alive at the end counts
     * what it used since the first snapshot (all of it when it started later); the process's own delta minus those
     * is "exited", so the groups sum to the process total. The kernel scales process and thread times apart, so
     * "exited" can be a tick or two off zero, either way.
     */
    static Map<String, double[]> between(Snapshot before, Snapshot after) {
        Map<String, double[]> ms = new LinkedHashMap<>();
        IDS.forEach(id -> ms.put(id, new double[2]));
        long user = 0;
        long sys = 0;
        for (Map.Entry<Long, Task> entry : after.threads().entrySet()) {
            Task now = entry.getValue();
            Task then = before.threads().get(entry.getKey());
            boolean same = then != null && then.start() == now.start();
            long u = now.user() - (same ? then.user() : 0);
            long s = now.sys() - (same ? then.sys() : 0);
            double[] sums = ms.get(group(now.comm()));
            sums[0] += u;
            sums[1] += s;
            user += u;
            sys += s;
        }
        double[] exited = ms.get("exited");
        exited[0] = (after.user() - before.user()) - user;
        exited[1] = (after.sys() - before.sys()) - sys;
        ms.values().forEach(sums -> {
            sums[0] = sums[0] * 1000.0 / CLOCK_TICKS;
            sums[1] = sums[1] * 1000.0 / CLOCK_TICKS;
        });
        return ms;
    }

    /**
     * The info figures of one part's split: {@code PART.PROCESS.user|sys} for the process and
     * {@code PART.PROCESS.GROUP.user|sys} per group, each a run's milliseconds divided by {@code per}.
     */
    static final class Figures {
        private final String part;
        private final String unit;
        private final String window;
        private final Map<String, Figure> byId = new LinkedHashMap<>();

        /** {@code window}: what the two snapshots enclose, for the method; {@code unit}: e.g. "ms/job". */
        Figures(String part, String unit, String window) {
            this.part = part;
            this.unit = unit;
            this.window = window;
        }

        /** Adds one run of one process; returns the console line for it. */
        String add(String process, Snapshot before, Snapshot after, double per) {
            Map<String, double[]> ms = between(before, after);
            double user = ms.values().stream().mapToDouble(sums -> sums[0]).sum();
            double sys = ms.values().stream().mapToDouble(sums -> sums[1]).sum();
            figure(process, null, "user").add(user / per);
            figure(process, null, "sys").add(sys / per);
            StringBuilder line = new StringBuilder(String.format("%s %s user/sys %s: %.1f/%.1f (", part, process,
                    unit, user / per, sys / per));
            for (Map.Entry<String, double[]> entry : ms.entrySet()) {
                figure(process, entry.getKey(), "user").add(entry.getValue()[0] / per);
                figure(process, entry.getKey(), "sys").add(entry.getValue()[1] / per);
                line.append(String.format("%s %.1f/%.1f, ", entry.getKey(), entry.getValue()[0] / per,
                        entry.getValue()[1] / per));
            }
            line.setLength(line.length() - 2);
            return line.append(")").append(names(before, after, per)).toString();
        }

        /** For the console: which threads "other" holds (user+sys) and which ended, so the groups can be refined. */
        private static String names(Snapshot before, Snapshot after, double per) {
            Map<String, Double> other = new java.util.TreeMap<>();
            after.threads().forEach((tid, now) -> {
                Task then = before.threads().get(tid);
                boolean same = then != null && then.start() == now.start();
                long ticks = now.user() + now.sys() - (same ? then.user() + then.sys() : 0);
                if (group(now.comm()).equals("other") && ticks > 0) {
                    other.merge(now.comm(), ticks * 1000.0 / CLOCK_TICKS / per, Double::sum);
                }
            });
            Map<String, Integer> ended = new java.util.TreeMap<>();
            before.threads().forEach((tid, then) -> {
                Task now = after.threads().get(tid);
                if (now == null || now.start() != then.start()) {
                    ended.merge(then.comm(), 1, Integer::sum);
                }
            });
            StringBuilder text = new StringBuilder("; other:");
            other.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(6)
                    .forEach(e -> text.append(String.format(" [%s] %.1f", e.getKey(), e.getValue())));
            text.append("; ended since the first read: ").append(ended.isEmpty() ? "none" : ended);
            return text.toString();
        }

        private Figure figure(String process, String group, String kind) {
            String id = part + "." + process + (group == null ? "" : "." + group) + "." + kind;
            return byId.computeIfAbsent(id, key -> {
                String what = (kind.equals("user") ? "user" : "system (kernel)") + " CPU, " + process
                        + (group == null ? " process" : ", " + describe(group));
                Figure figure = Figure.info(key, part + " " + what, unit, METHOD + "; read " + window);
                figure.detail.put("thread_split", Map.of("part", part, "process", process,
                        "group", group == null ? "total" : group, "kind", kind));
                return figure;
            });
        }

        List<Figure> figures() {
            return List.copyOf(byId.values());
        }
    }
}
