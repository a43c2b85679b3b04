package emulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/** Counts the API requests the emulator served, keeping the most recent ones to count by method and target. */
final class RequestLog {

  private static final int KEPT = 10_000;

  private final AtomicLong total = new AtomicLong();
  private final Deque<String> recent = new ArrayDeque<>();

  void record(String method, String target) {
    total.incrementAndGet();
    synchronized (recent) {
      if (recent.size() == KEPT) {
        recent.removeFirst();
      }
      recent.addLast(method + " " + target);
    }
  }

  long total() {
    return total.get();
  }

  /** Among the last {@value #KEPT} requests, those with this method ({@code *} for any) whose target matches. */
  long count(String method, String targetRegex) {
    Pattern target = Pattern.compile(targetRegex);
    synchronized (recent) {
      return recent.stream()
          .filter(line -> "*".equals(method) || line.startsWith(method.toUpperCase(Locale.ROOT) + " "))
          .filter(line -> target.matcher(line.substring(line.indexOf(' ') + 1)).find())
          .count();
    }
  }
}
