package org.lambdadist.batch.partial;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.lambdadist.batch.aggregate.AggregateCounters;
import org.lambdadist.core.event.RejectReason;

/**
 * The counters of a partial rows job, per epoch. MapReduce counters are per job and capped
 * in number, so each task writes its tallies as text lines ({@code epoch TAB name TAB value})
 * to a named output that commits with the task, and the driver sums them: retried or
 * speculative attempts never count twice.
 */
public final class EpochCounts {
  private final TreeMap<Long, Map<String, Long>> byEpoch = new TreeMap<>();

  public void add(long epoch, String name, long delta) {
    byEpoch.computeIfAbsent(epoch, e -> new LinkedHashMap<>()).merge(name, delta, Long::sum);
  }

  public void add(long epoch, AggregateCounters counter, long delta) {
    add(epoch, key(counter), delta);
  }

  private static final String[] COUNTER_KEYS = new String[AggregateCounters.values().length];
  private static final String[] REASON_KEYS = new String[RejectReason.values().length];

  static {
    for (AggregateCounters c : AggregateCounters.values()) {
      COUNTER_KEYS[c.ordinal()] = c.name().toLowerCase(java.util.Locale.ROOT);
    }
    for (RejectReason r : RejectReason.values()) {
      REASON_KEYS[r.ordinal()] = "rejected_" + r.name();
    }
  }

  public static String key(AggregateCounters counter) {
    return COUNTER_KEYS[counter.ordinal()];
  }

  public static String key(RejectReason reason) {
    return REASON_KEYS[reason.ordinal()];
  }

  /**
   * One epoch's tallies in plain arrays, for the per-record path of a task; {@link #drainTo}
   * moves them into an {@link EpochCounts} when the epoch changes and at the end.
   */
  public static final class Tally {
    private final long[] counters = new long[COUNTER_KEYS.length];
    private final long[] reasons = new long[REASON_KEYS.length];

    public void add(AggregateCounters c, long delta) {
      counters[c.ordinal()] += delta;
    }

    public void add(RejectReason r) {
      reasons[r.ordinal()]++;
    }

    public void drainTo(EpochCounts counts, long epoch) {
      for (int i = 0; i < counters.length; i++) {
        if (counters[i] != 0) {
          counts.add(epoch, COUNTER_KEYS[i], counters[i]);
          counters[i] = 0;
        }
      }
      for (int i = 0; i < reasons.length; i++) {
        if (reasons[i] != 0) {
          counts.add(epoch, REASON_KEYS[i], reasons[i]);
          reasons[i] = 0;
        }
      }
    }
  }

  public TreeMap<Long, Map<String, Long>> byEpoch() {
    return byEpoch;
  }

  public boolean isEmpty() {
    return byEpoch.isEmpty();
  }

  /** One line per (epoch, counter). */
  public Iterable<String> lines() {
    java.util.List<String> lines = new java.util.ArrayList<>();
    byEpoch.forEach((e, m) -> m.forEach((k, v) -> lines.add(e + "\t" + k + "\t" + v)));
    return lines;
  }

  /** Adds a line written by {@link #lines}. */
  public void addLine(String line) throws IOException {
    String[] f = line.split("\t");
    if (f.length != 3) {
      throw new IOException("bad counts line: " + line);
    }
    try {
      add(Long.parseLong(f[0]), f[1], Long.parseLong(f[2]));
    } catch (NumberFormatException e) {
      throw new IOException("bad counts line: " + line, e);
    }
  }

  public void clear() {
    byEpoch.clear();
  }

  /**
   * One epoch's counters in a fixed order (every counter, zeros included), after checking that
   * no record was lost or counted twice: read = accepted + rejected (= the sum by reason),
   * accepted = aggregated + skipped, skipped = the later copies the epoch's index lists.
   */
  public static Map<String, Long> checked(long epoch, Map<String, Long> raw, long indexSkips) throws IOException {
    Map<String, Long> m = new LinkedHashMap<>();
    for (AggregateCounters k : AggregateCounters.values()) {
      m.put(key(k), raw.getOrDefault(key(k), 0L));
    }
    long reasons = 0;
    for (RejectReason r : RejectReason.values()) {
      long n = raw.getOrDefault(key(r), 0L);
      m.put(key(r), n);
      reasons += n;
    }
    for (String k : raw.keySet()) {
      if (!m.containsKey(k)) {
        throw new IOException("epoch " + epoch + ": unknown counter " + k);
      }
    }
    long read = m.get("records_read");
    long accepted = m.get("events_accepted");
    long rejected = m.get("events_rejected");
    long skipped = m.get("duplicates_skipped");
    long aggregated = m.get("events_aggregated");
    if (read != accepted + rejected || accepted != aggregated + skipped || reasons != rejected || skipped != indexSkips) {
      throw new IOException("epoch " + epoch + ": counter check failed (records lost or counted twice): read " + read
          + ", accepted " + accepted + ", rejected " + rejected + " (by reason " + reasons + "), aggregated "
          + aggregated + ", duplicates skipped " + skipped + " of the " + indexSkips + " its index lists");
    }
    return m;
  }
}
