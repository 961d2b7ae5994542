package org.lambdadist.core.attribution;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Attribution results being summed: a {@link CreditTotal} per (model, day, channel, campaign).
 * A monoid of maps (merge adds per key), so the mapper can sum in memory, the combiner and
 * reducer can add partial tables, and the API can regroup rows over days, all with one rule.
 */
public final class CreditTable {
  /** What attribution rows are keyed by. */
  public record Key(String model, String day, String channel, String campaign) {}

  private final Map<Key, CreditTotal> totals = new HashMap<>();

  /** Credits one conversion path under one model: each credit's weight of the conversion and of its revenue. */
  public void credit(String model, String day, List<Credit> credits, double pathRevenue) {
    for (Credit c : credits) {
      totals.computeIfAbsent(new Key(model, day, c.channel(), c.campaign()), k -> new CreditTotal())
          .credit(c.weight(), pathRevenue);
    }
  }

  public void add(Key key, CreditTotal total) {
    totals.computeIfAbsent(key, k -> new CreditTotal()).add(total);
  }

  public void merge(CreditTable other) {
    other.totals.forEach(this::add);
  }

  public Map<Key, CreditTotal> totals() {
    return totals;
  }

  public int size() {
    return totals.size();
  }

  /** The rows, in export order (day, channel, campaign with null first). */
  public List<AttributionRow> rows() {
    List<AttributionRow> rows = new ArrayList<>(totals.size());
    totals.forEach((k, t) -> rows.add(new AttributionRow(k.model(), k.day(), k.channel(), k.campaign(),
        t.conversions(), t.revenue())));
    rows.sort(AttributionRow.EXPORT_ORDER);
    return rows;
  }

  /**
   * Sums rows over their days, per channel or per (channel, campaign), in channel then
   * campaign order (null campaign first); the result rows have no model and no day.
   */
  public static List<AttributionRow> regroup(Iterable<AttributionRow> rows, boolean byCampaign) {
    Comparator<String> nullsFirst = Comparator.nullsFirst(Comparator.naturalOrder());
    Map<List<String>, CreditTotal> sums = new TreeMap<>((a, b) -> {
      int c = a.get(0).compareTo(b.get(0));
      return c != 0 ? c : nullsFirst.compare(a.get(1), b.get(1));
    });
    for (AttributionRow r : rows) {
      sums.computeIfAbsent(java.util.Arrays.asList(r.channel(), byCampaign ? r.campaign() : null), k -> new CreditTotal())
          .add(r.conversions(), r.revenue());
    }
    List<AttributionRow> grouped = new ArrayList<>(sums.size());
    sums.forEach((k, s) -> grouped.add(new AttributionRow(null, null, k.get(0), k.get(1), s.conversions(), s.revenue())));
    return grouped;
  }
}
