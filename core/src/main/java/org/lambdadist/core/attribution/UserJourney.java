package org.lambdadist.core.attribution;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts one user's touches and conversions into conversion paths. Events are taken in (time,
 * event id) order, so ties never depend on input order. Each conversion's path is the touches
 * since the previous conversion (in that order) that lie inside its lookback window
 * ({@code conversion − lookback < touch ≤ conversion}); the touches after the last conversion
 * are the user's non-converting path (used by the Markov model).
 */
public final class UserJourney {
  private UserJourney() {}

  /** A conversion event of the user. */
  public record ConversionEvent(long timestampMillis, String eventId, double revenue) {}

  /** A user's conversion paths, and the touches after their last conversion. */
  public record Paths(List<ConversionPath> converting, List<Touch> nonConverting) {}

  private static final Comparator<ConversionEvent> CONVERSION_ORDER = Comparator
      .comparingLong(ConversionEvent::timestampMillis)
      .thenComparing(ConversionEvent::eventId, Comparator.nullsFirst(Comparator.naturalOrder()));

  public static Paths paths(List<Touch> touches, List<ConversionEvent> conversions, AttributionSettings settings) {
    List<Touch> t = new ArrayList<>(touches);
    t.sort(Touch.ORDER);
    List<ConversionEvent> c = new ArrayList<>(conversions);
    c.sort(CONVERSION_ORDER);
    long lookback = settings.lookbackMillis();
    List<ConversionPath> paths = new ArrayList<>();
    int next = 0;
    for (ConversionEvent conversion : c) {
      List<Touch> path = new ArrayList<>();
      while (next < t.size() && before(t.get(next), conversion)) {
        Touch touch = t.get(next++);
        if (touch.timestampMillis() > conversion.timestampMillis() - lookback) {
          path.add(touch);
        }
      }
      paths.add(new ConversionPath(conversion.timestampMillis(), conversion.eventId(), conversion.revenue(), path));
    }
    return new Paths(paths, List.copyOf(t.subList(next, t.size())));
  }

  /** True when the touch comes before the conversion in (time, event id) order. */
  private static boolean before(Touch touch, ConversionEvent conversion) {
    if (touch.timestampMillis() != conversion.timestampMillis()) {
      return touch.timestampMillis() < conversion.timestampMillis();
    }
    String a = touch.eventId();
    String b = conversion.eventId();
    if (a == null || b == null) {
      return a == null; // a touch without id sorts first at equal times
    }
    return a.compareTo(b) < 0;
  }
}
