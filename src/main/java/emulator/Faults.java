package emulator;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/** Injected failures and delays, each for the next {@code times} requests that match a method and a target regex. */
final class Faults {

  /**
   * One rule: answer {@code status} (with {@code message}, or a generic one when null), or wait {@code delay} and then
   * answer normally.
   */
  record Fault(String method, Pattern target, int status, String message, Duration delay, AtomicInteger remaining) {

    boolean isDelay() {
      return delay != null;
    }

    private boolean matches(String requestMethod, String requestTarget) {
      return ("*".equals(method) || method.equalsIgnoreCase(requestMethod)) && target.matcher(requestTarget).find();
    }
  }

  private final List<Fault> faults = new CopyOnWriteArrayList<>();

  void fail(String method, String targetRegex, int status, int times) {
    fail(method, targetRegex, status, null, times);
  }

  void fail(String method, String targetRegex, int status, String message, int times) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("A fault answers an error status (4xx or 5xx), not " + status);
    }
    add(new Fault(method, Pattern.compile(targetRegex), status, message, null, new AtomicInteger(times)));
  }

  void hang(String method, String targetRegex, Duration delay, int times) {
    add(new Fault(method, Pattern.compile(targetRegex), 0, null, delay, new AtomicInteger(times)));
  }

  void clear() {
    faults.clear();
  }

  /** The first rule matching the request, used up by one; rules that are used up are dropped. */
  Optional<Fault> take(String method, String target) {
    for (Fault fault : faults) {
      if (fault.matches(method, target) && fault.remaining().getAndDecrement() > 0) {
        if (fault.remaining().get() <= 0) {
          faults.remove(fault);
        }
        return Optional.of(fault);
      }
    }
    return Optional.empty();
  }

  private void add(Fault fault) {
    if (fault.remaining().get() < 1) {
      throw new IllegalArgumentException("A fault must apply at least once");
    }
    faults.add(fault);
  }
}
