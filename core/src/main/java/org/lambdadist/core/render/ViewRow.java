package org.lambdadist.core.render;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.view.ViewKey;

/** A view row ready to render: its key and its aggregate. */
public record ViewRow(ViewKey key, RowAggregate aggregate) {
  public ViewRow {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(aggregate, "aggregate");
  }

  /**
   * Export order: by dimension values (compared as strings, a missing value first), then by
   * bucket start.
   */
  public static final Comparator<ViewRow> EXPORT_ORDER = (a, b) -> {
    List<String> x = a.key().dimensions();
    List<String> y = b.key().dimensions();
    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
      int c = Comparator.nullsFirst(Comparator.<String>naturalOrder()).compare(x.get(i), y.get(i));
      if (c != 0) {
        return c;
      }
    }
    int c = Integer.compare(x.size(), y.size());
    return c != 0 ? c : Long.compare(a.key().bucketStart(), b.key().bucketStart());
  };
}
