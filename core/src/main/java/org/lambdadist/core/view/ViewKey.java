package org.lambdadist.core.view;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.lambdadist.core.time.Granularity;

/**
 * The key of one view row: view name, dimension values (null for a missing dimension),
 * granularity and bucket start (epoch millis, UTC). Its hash uses the granularity's code, not
 * the enum's identity hash, so hash-ordered iteration is the same in every JVM.
 */
public final class ViewKey {
  private final String view;
  private final String[] dimensions;
  private List<String> dimensionList;
  private final Granularity granularity;
  private final long bucketStart;
  private final int hash;

  public ViewKey(String view, List<String> dimensions, Granularity granularity, long bucketStart) {
    this(view, dimensions.toArray(new String[0]), granularity, bucketStart);
  }

  private ViewKey(String view, String[] dimensions, Granularity granularity, long bucketStart) {
    this.view = Objects.requireNonNull(view, "view");
    this.dimensions = dimensions;
    this.granularity = Objects.requireNonNull(granularity, "granularity");
    this.bucketStart = bucketStart;
    int h = view.hashCode();
    h = 31 * h + Arrays.hashCode(dimensions); // as List.hashCode: the same in every JVM
    h = 31 * h + granularity.code();
    this.hash = 31 * h + Long.hashCode(bucketStart);
  }

  /**
   * A key sharing {@code dimensions} (not copied): for the hot path, where one event's keys at
   * every granularity share one array that nobody changes afterwards.
   */
  public static ViewKey sharing(String view, String[] dimensions, Granularity granularity, long bucketStart) {
    return new ViewKey(view, dimensions, granularity, bucketStart);
  }

  public String view() {
    return view;
  }

  /** Dimension values in the view's dimension order; an element is null for a missing field. */
  public List<String> dimensions() {
    List<String> list = dimensionList;
    if (list == null) {
      list = Collections.unmodifiableList(Arrays.asList(dimensions));
      dimensionList = list;
    }
    return list;
  }

  public Granularity granularity() {
    return granularity;
  }

  public long bucketStart() {
    return bucketStart;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ViewKey k && k.hash == hash && k.bucketStart == bucketStart
        && k.granularity == granularity && k.view.equals(view) && Arrays.equals(k.dimensions, dimensions);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return view + dimensions() + "/" + granularity.label() + "@" + Granularity.formatInstant(bucketStart);
  }
}
