package org.lambdadist.core.attribution;

import java.util.List;

/**
 * One conversion and the touches that lead to it, in (time, event id) order: the same user's
 * touches after their previous conversion with {@code conversion − lookback < touch ≤
 * conversion}. {@code revenue} is 0 when the conversion has none (or an unusable value).
 */
public record ConversionPath(long timestampMillis, String eventId, double revenue, List<Touch> touches) {
  public ConversionPath {
    touches = List.copyOf(touches);
  }
}
