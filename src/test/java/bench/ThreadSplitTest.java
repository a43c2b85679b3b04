package bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The split must sum to the process's own delta, whatever threads started, ended or reused a TID meanwhile. */
class ThreadSplitTest {
    private static final double MS_PER_TICK = 1000.0
            / Long.parseLong(System.getenv().getOrDefault("BENCH_CLK_TCK", "100"));

    @Test
    void groupsAndExitedThreadsSumToTheProcess() {
        ThreadSplit.Snapshot before = new ThreadSplit.Snapshot(20, 5, Map.of(
                1L, new ThreadSplit.Task("C2 CompilerThre", 5, 10, 2),
                2L, new ThreadSplit.Task("task-7", 5, 3, 1)));
        // Thread 2 ends after 2 more user ticks and 1 system tick; thread 3 starts and uses 4 + 0.
        ThreadSplit.Snapshot after = new ThreadSplit.Snapshot(31, 7, Map.of(
                1L, new ThreadSplit.Task("C2 CompilerThre", 5, 15, 3),
                3L, new ThreadSplit.Task("ForkJoinPool-1-", 9, 4, 0)));

        Map<String, double[]> ms = ThreadSplit.between(before, after);

        assertArrayEquals(new double[] {5 * MS_PER_TICK, 1 * MS_PER_TICK}, ms.get("c2"));
        assertArrayEquals(new double[] {4 * MS_PER_TICK, 0}, ms.get("carriers"));
        assertArrayEquals(new double[] {2 * MS_PER_TICK, 1 * MS_PER_TICK}, ms.get("exited"));
        assertEquals(11 * MS_PER_TICK, ms.values().stream().mapToDouble(sums -> sums[0]).sum());
        assertEquals(2 * MS_PER_TICK, ms.values().stream().mapToDouble(sums -> sums[1]).sum());
    }

    @Test
    void aReusedThreadIdCountsTheNewThreadWhole() {
        ThreadSplit.Snapshot before = new ThreadSplit.Snapshot(50, 0, Map.of(
                1L, new ThreadSplit.Task("lettuce-nioEven", 5, 50, 0)));
        ThreadSplit.Snapshot after = new ThreadSplit.Snapshot(56, 0, Map.of(
                1L, new ThreadSplit.Task("lettuce-nioEven", 40, 6, 0)));

        Map<String, double[]> ms = ThreadSplit.between(before, after);

        assertArrayEquals(new double[] {6 * MS_PER_TICK, 0}, ms.get("redis"));
        assertArrayEquals(new double[] {0, 0}, ms.get("exited"));
    }
}
