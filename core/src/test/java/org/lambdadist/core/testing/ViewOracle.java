package org.lambdadist.core.testing;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.lambdadist.core.event.Event;
import org.lambdadist.core.event.EventLimits;
import org.lambdadist.core.event.FieldValues;
import org.lambdadist.core.event.ParseResult;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.MetricDefinition;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinition;

/**
 * A plain-collections computation of every view, written independently of the monoids: lists
 * of values per row, {@link BigDecimal} sums, {@link HashSet} distinct counts. Engines are
 * checked against it (Summingbird's TestGraphs pattern). Input order is arrival order: of
 * events with the same {@code event_id} the first wins.
 */
public final class ViewOracle {

  /** One expected row: its identity and its rendered metric values (Long, Double or null). */
  public record Row(String view, String granularity, String bucket, List<String> key, Map<String, Object> metrics) {
    public String id() {
      return view + "|" + granularity + "|" + bucket + "|" + key;
    }
  }

  private final ViewCatalog catalog;
  private final EventRules rules;
  private final Set<String> seenIds = new HashSet<>();
  private final Map<String, List<Event>> eventsByRow = new LinkedHashMap<>();
  private long accepted;
  private long rejected;
  private final Map<String, Long> rejectedByReason = new TreeMap<>();
  private long duplicates;

  public ViewOracle(ViewCatalog catalog) {
    this(catalog, EventLimits.defaults());
  }

  /**
   * An oracle that admits records by core's one rule ({@link EventRules}: which records are
   * events is a rule, not an aggregation) and computes every metric on its own.
   */
  public ViewOracle(ViewCatalog catalog, EventLimits limits) {
    this.catalog = catalog;
    this.rules = EventRules.of(catalog, limits);
  }

  /** Feeds one raw record in arrival order. */
  public void accept(byte[] raw) {
    ParseResult r = rules.read(raw);
    if (!r.isAccepted()) {
      rejected++;
      rejectedByReason.merge(r.rejection().reason().name(), 1L, Long::sum);
      return;
    }
    accepted++;
    Event e = r.event();
    if (e.eventId() != null && !seenIds.add(e.eventId())) {
      duplicates++;
      return;
    }
    for (ViewDefinition v : catalog.views()) {
      if (!v.filter().matches(e)) {
        continue;
      }
      List<String> dims = v.dimensionValues(e);
      for (Granularity g : v.granularities()) {
        String bucket = Granularity.formatInstant(g.bucketStart(e.timestampMillis()));
        String id = v.name() + "|" + g.label() + "|" + bucket + "|" + dims;
        eventsByRow.computeIfAbsent(id, k -> new ArrayList<>()).add(e);
      }
    }
  }

  public long accepted() {
    return accepted;
  }

  public long rejected() {
    return rejected;
  }

  /** Rejected records per {@code RejectReason} name (reasons never met absent). */
  public Map<String, Long> rejectedByReason() {
    return java.util.Collections.unmodifiableMap(rejectedByReason);
  }

  public long duplicates() {
    return duplicates;
  }

  /** Expected rows by {@link Row#id()}. */
  public Map<String, Row> rows() {
    Map<String, Row> rows = new TreeMap<>();
    for (Map.Entry<String, List<Event>> entry : eventsByRow.entrySet()) {
      String[] parts = entry.getKey().split("\\|", 4);
      ViewDefinition v = catalog.view(parts[0]);
      List<Event> events = entry.getValue();
      List<String> key = v.dimensionValues(events.get(0));
      Map<String, Object> metrics = new LinkedHashMap<>();
      for (MetricDefinition m : v.metrics()) {
        metrics.put(m.name(), compute(m, events, rules));
      }
      Row row = new Row(parts[0], parts[1], parts[2], key, metrics);
      rows.put(row.id(), row);
    }
    return rows;
  }

  private static Object compute(MetricDefinition m, List<Event> events, EventRules rules) {
    List<Object> values = new ArrayList<>();
    for (Event e : events) {
      Object v = m.field() == null ? Boolean.TRUE : e.field(m.field());
      if (v != null && rules.isMetricValue(m.type(), v)) {
        values.add(v); // a bad value is counted by the engines and left out of the metric
      }
    }
    switch (m.type()) {
      case COUNT:
        return (long) values.size();
      case DISTINCT: {
        Set<String> set = new HashSet<>();
        values.forEach(v -> set.add(FieldValues.canonical(v)));
        return (long) set.size();
      }
      default:
        break;
    }
    BigDecimal sum = BigDecimal.ZERO;
    boolean allIntegral = true;
    BigDecimal min = null;
    BigDecimal max = null;
    boolean minIntegral = false;
    boolean maxIntegral = false;
    long n = 0;
    for (Object v : values) {
      BigDecimal d = v instanceof Boolean ? null : FieldValues.decimal(v);
      if (d == null) {
        continue; // a bad value: counted by the engines, left out of the metric
      }
      boolean integral = v instanceof Long || (v instanceof String s && s.indexOf('.') < 0 && d.stripTrailingZeros().scale() <= 0);
      n++;
      sum = sum.add(d);
      allIntegral &= integral;
      if (min == null || d.compareTo(min) < 0 || (d.compareTo(min) == 0 && integral)) {
        min = d;
        minIntegral = integral;
      }
      if (max == null || d.compareTo(max) > 0 || (d.compareTo(max) == 0 && integral)) {
        max = d;
        maxIntegral = integral;
      }
    }
    return switch (m.type()) {
      case SUM -> allIntegral ? (Object) sum.longValueExact() : (Object) sum.doubleValue();
      case MIN -> min == null ? null : minIntegral ? (Object) min.longValueExact() : (Object) min.doubleValue();
      case MAX -> max == null ? null : maxIntegral ? (Object) max.longValueExact() : (Object) max.doubleValue();
      case AVG -> n == 0 ? null : sum.divide(BigDecimal.valueOf(n), MathContext.DECIMAL128).doubleValue();
      default -> throw new IllegalStateException(m.type().toString());
    };
  }

  /**
   * Compares actual rows with expected ones: every metric exact except {@code distinct}, which
   * may differ by {@code distinctTolerance} (relative) or 1. Returns the differences, at most
   * 20, empty when equal.
   */
  public static List<String> differences(Map<String, Row> expected, Map<String, Row> actual,
                                         ViewCatalog catalog, double distinctTolerance) {
    List<String> diffs = new ArrayList<>();
    Set<String> ids = new HashSet<>(expected.keySet());
    ids.addAll(actual.keySet());
    for (String id : new java.util.TreeSet<>(ids)) {
      Row e = expected.get(id);
      Row a = actual.get(id);
      if (e == null || a == null) {
        diffs.add((e == null ? "unexpected row " : "missing row ") + id);
      } else {
        ViewDefinition v = catalog.view(e.view());
        for (MetricDefinition m : v.metrics()) {
          Object ev = e.metrics().get(m.name());
          Object av = a.metrics().get(m.name());
          if (!close(m, ev, av, distinctTolerance)) {
            diffs.add(id + " " + m.name() + ": expected " + ev + ", got " + av);
          }
        }
      }
      if (diffs.size() >= 20) {
        break;
      }
    }
    return diffs;
  }

  private static boolean close(MetricDefinition m, Object expected, Object actual, double tolerance) {
    if (expected == null || actual == null) {
      return expected == actual;
    }
    if (m.type() == org.lambdadist.core.view.MetricType.DISTINCT) {
      double e = ((Number) expected).doubleValue();
      double a = ((Number) actual).doubleValue();
      return Math.abs(e - a) <= Math.max(1, e * tolerance);
    }
    if (expected instanceof Long && actual instanceof Number n && !(actual instanceof Double)) {
      return Objects.equals(expected, n.longValue());
    }
    return ((Number) expected).doubleValue() == ((Number) actual).doubleValue()
        && (expected instanceof Double) == (actual instanceof Double);
  }
}
