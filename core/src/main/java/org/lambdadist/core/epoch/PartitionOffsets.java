package org.lambdadist.core.epoch;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An offset per Kafka partition: an epoch boundary, or the start or end of a micro-batch.
 * Written as text {@code "0:120,1:98"} (partitions ascending), the form stored in HBase meta
 * and in manifests, readable by an operator. A partition not listed has offset 0.
 */
public final class PartitionOffsets implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private static final PartitionOffsets EMPTY = new PartitionOffsets(new TreeMap<>());
  private final TreeMap<Integer, Long> offsets;

  private PartitionOffsets(TreeMap<Integer, Long> offsets) {
    this.offsets = offsets;
  }

  public static PartitionOffsets empty() {
    return EMPTY;
  }

  public static PartitionOffsets of(Map<Integer, Long> offsets) {
    TreeMap<Integer, Long> copy = new TreeMap<>();
    for (Map.Entry<Integer, Long> e : offsets.entrySet()) {
      if (e.getKey() < 0 || e.getValue() < 0) {
        throw new IllegalArgumentException("negative partition or offset: " + e);
      }
      copy.put(e.getKey(), e.getValue());
    }
    return new PartitionOffsets(copy);
  }

  /** Parses the text form; empty text is no partitions. */
  public static PartitionOffsets parse(String text) {
    TreeMap<Integer, Long> offsets = new TreeMap<>();
    if (text == null || text.isBlank()) {
      return EMPTY;
    }
    for (String part : text.split(",")) {
      int colon = part.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("not partition:offset: '" + part + "' in '" + text + "'");
      }
      try {
        offsets.put(Integer.parseInt(part.substring(0, colon).trim()), Long.parseLong(part.substring(colon + 1).trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not partition:offset: '" + part + "' in '" + text + "'", e);
      }
    }
    return of(offsets);
  }

  /** The offset of a partition; 0 when it is not listed. */
  public long get(int partition) {
    Long o = offsets.get(partition);
    return o == null ? 0 : o;
  }

  public SortedMap<Integer, Long> asMap() {
    return Collections.unmodifiableSortedMap(offsets);
  }

  /** This with every partition of {@code other} set to its offset there. */
  public PartitionOffsets with(PartitionOffsets other) {
    TreeMap<Integer, Long> m = new TreeMap<>(offsets);
    m.putAll(other.offsets);
    return new PartitionOffsets(m);
  }

  /** True when no partition is behind {@code other}'s offset for it. */
  public boolean atOrAfter(PartitionOffsets other) {
    for (Map.Entry<Integer, Long> e : other.offsets.entrySet()) {
      if (get(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** The sum over partitions of how far this is ahead of {@code earlier} (records between them). */
  public long distanceFrom(PartitionOffsets earlier) {
    long d = 0;
    for (Map.Entry<Integer, Long> e : offsets.entrySet()) {
      d += Math.max(0, e.getValue() - earlier.get(e.getKey()));
    }
    return d;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<Integer, Long> e : offsets.entrySet()) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(e.getKey()).append(':').append(e.getValue());
    }
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PartitionOffsets p && normalized().equals(p.normalized());
  }

  @Override
  public int hashCode() {
    return normalized().hashCode();
  }

  /** Offsets 0 and absent mean the same; equality ignores the difference. */
  private Map<Integer, Long> normalized() {
    TreeMap<Integer, Long> m = new TreeMap<>(offsets);
    m.values().removeIf(v -> v == 0);
    return m;
  }
}
