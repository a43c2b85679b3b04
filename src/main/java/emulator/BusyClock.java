package emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How long an emulator spent answering: the sum of every call's handling time, and the time during which at least
 * one call was in hand (overlapping calls counted once). A benchmark subtracts the latter from a job's wall time
 * to get the time the service itself took.
 */
public final class BusyClock {
    private long calls;
    private long handlingNanos;
    private long busyNanos;
    private int inFlight;
    private long busySince;

    /** Marks a call's arrival; returns its start time for {@link #exit(long)}. */
    public synchronized long enter() {
        long now = System.nanoTime();
        if (inFlight++ == 0) {
            busySince = now;
        }
        return now;
    }

    public synchronized void exit(long startedAt) {
        long now = System.nanoTime();
        calls++;
        handlingNanos += now - startedAt;
        if (--inFlight == 0) {
            busyNanos += now - busySince;
        }
    }

    /** {@code calls}, {@code handling_ms} (summed over calls) and {@code busy_ms} (wall time with a call in hand). */
    public synchronized ObjectNode toJson(ObjectNode into) {
        long busy = busyNanos + (inFlight > 0 ? System.nanoTime() - busySince : 0);
        into.put("calls", calls);
        into.put("handling_ms", handlingNanos / 1e6);
        into.put("busy_ms", busy / 1e6);
        return into;
    }
}
