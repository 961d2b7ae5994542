package org.lambdadist.core.attribution;

/**
 * The parameters of the models: the lookback window, the direct channel, the time-decay half
 * life and the position-based first and last weights (defaults 30 days, {@code direct}, 7 days,
 * 0.4 and 0.4).
 */
public record AttributionSettings(double lookbackDays, String directChannel, double halfLifeDays,
                                  double firstWeight, double lastWeight) {
  public static final AttributionSettings DEFAULTS = new AttributionSettings(30, "direct", 7, 0.4, 0.4);

  public AttributionSettings {
    if (!(lookbackDays > 0) || !(halfLifeDays > 0)) {
      throw new IllegalArgumentException("lookback and half-life must be positive");
    }
    if (firstWeight < 0 || lastWeight < 0 || firstWeight + lastWeight > 1) {
      throw new IllegalArgumentException("position weights must be >= 0 and sum to at most 1");
    }
  }

  public long lookbackMillis() {
    return (long) (lookbackDays * 86_400_000L);
  }
}
