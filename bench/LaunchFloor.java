import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The floor of P4j on this CPU: what loading the classes a launch loads costs a JVM, with no Spring, no Camel and no
 * work done with them. Reads a class list written by a real launch ({@code -XX:DumpLoadedClassList=FILE}, e.g.
 * {@code BENCH_API_OPTS="... -XX:DumpLoadedClassList=/tmp/p4j.lst" bench/run.sh --only P4 --no-peer} with
 * {@code BENCH_LAUNCH_CONFIGS=jdk17-jar}) and loads each class through the application class loader, in the list's
 * order, on one thread. Run it on the same JDK and class path as the launch:
 * {@code java -XX:TieredStopAtLevel=1 -cp target/panel-one.jar bench/LaunchFloor.java FILE [load|init]}.
 *
 * <p>{@code load}: {@code Class.forName(name, false, loader)}, reading and defining each class (what the default CDS
 * archive already holds is mapped, not read); {@code init}: the same with linking, verification and each class's
 * static initialiser, as a launch runs them. Prints the classes found, the CPU of the loading thread and of the
 * whole process (the JIT's threads included) and the wall time. A class the list names but the class path lacks
 * (generated at run time) is counted and skipped; an initialiser that throws is counted too.
 */
public final class LaunchFloor {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        boolean init = args.length > 1 && args[1].equals("init");
        List<String> names = Files.readAllLines(Path.of(args[0])).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#") && !line.startsWith("@"))
                .map(line -> line.split("\\s+")[0].replace('/', '.'))
                .toList();
        ClassLoader loader = ClassLoader.getSystemClassLoader();
        long wall0 = System.nanoTime();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long process0 = processCpuNanos();
        int loaded = 0;
        int missing = 0;
        int failed = 0;
        for (String name : names) {
            try {
                Class.forName(name, init, loader);
                loaded++;
            } catch (ClassNotFoundException | NoClassDefFoundError e) {
                missing++;
            } catch (Throwable e) {
                failed++;
            }
        }
        double thread = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e6;
        double process = (processCpuNanos() - process0) / 1e6;
        double wall = (System.nanoTime() - wall0) / 1e6;
        System.out.printf("%s: %d classes of %d listed (%d not on the class path, %d failed): loading thread %.0f ms"
                + " of CPU, process %.0f ms, wall %.0f ms (Java %s)%n", init ? "load + link + initialise" : "load",
                loaded, names.size(), missing, failed, thread, process, wall, Runtime.version());
        // Initialisers may have started threads; nothing here needs them.
        System.exit(0);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
