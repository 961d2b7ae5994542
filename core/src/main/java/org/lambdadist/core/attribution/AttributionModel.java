package org.lambdadist.core.attribution;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The attribution models. Each turns a {@link ConversionPath} into credits summing to 1; a
 * path without touches is credited wholly to channel {@code (none)} with a null campaign.
 *
 * <ul>
 *   <li>{@code first_touch}, {@code last_touch}: all to the first or last touch.</li>
 *   <li>{@code last_non_direct}: all to the last touch whose channel is not the direct channel,
 *       else to the last touch.</li>
 *   <li>{@code linear}: {@code 1/n} to each touch.</li>
 *   <li>{@code time_decay}: weight {@code 2^(−Δt / half-life)}, Δt = conversion time − touch
 *       time, normalised. Worked example, half-life 7 days: touches 22, 15, 8 and 1 days before
 *       get raw weights 0.125, 0.25, 0.5 and 1, so credits 0.0667, 0.1333, 0.2667, 0.5333.</li>
 *   <li>{@code position_based}: one touch 100%; two touches 50/50; three or more: the first and
 *       last weights (default 0.4 each), the rest split evenly over the middle touches. Worked
 *       example: A > B > B > C gives A 0.4, each B 0.1, C 0.4.</li>
 *   <li>{@code markov}: see {@link MarkovModel}.</li>
 * </ul>
 */
public enum AttributionModel {
  FIRST_TOUCH, LAST_TOUCH, LAST_NON_DIRECT, LINEAR, TIME_DECAY, POSITION_BASED, MARKOV;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static AttributionModel fromLabel(String label) {
    for (AttributionModel m : values()) {
      if (m.label().equals(label)) {
        return m;
      }
    }
    return null;
  }

  /**
   * The credits of one conversion. {@code markov} is needed only by {@link #MARKOV} (the
   * removal effects of the whole batch run's paths).
   */
  public List<Credit> credit(ConversionPath path, AttributionSettings settings, MarkovModel markov) {
    List<Touch> touches = path.touches();
    if (touches.isEmpty()) {
      return List.of(new Credit(Touch.NO_CHANNEL, null, 1.0));
    }
    int n = touches.size();
    switch (this) {
      case FIRST_TOUCH:
        return List.of(whole(touches.get(0)));
      case LAST_TOUCH:
        return List.of(whole(touches.get(n - 1)));
      case LAST_NON_DIRECT:
        for (int i = n - 1; i >= 0; i--) {
          if (!touches.get(i).channel().equals(settings.directChannel())) {
            return List.of(whole(touches.get(i)));
          }
        }
        return List.of(whole(touches.get(n - 1)));
      case LINEAR: {
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1.0);
        return normalised(touches, w);
      }
      case TIME_DECAY: {
        double halfLife = settings.halfLifeDays() * 86_400_000.0;
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
          w[i] = Math.pow(2, -(path.timestampMillis() - touches.get(i).timestampMillis()) / halfLife);
        }
        return normalised(touches, w);
      }
      case POSITION_BASED: {
        double[] w = new double[n];
        if (n == 1) {
          w[0] = 1;
        } else if (n == 2) {
          w[0] = 0.5;
          w[1] = 0.5;
        } else {
          w[0] = settings.firstWeight();
          w[n - 1] = settings.lastWeight();
          double middle = (1 - settings.firstWeight() - settings.lastWeight()) / (n - 2);
          for (int i = 1; i < n - 1; i++) {
            w[i] = middle;
          }
        }
        return normalised(touches, w);
      }
      case MARKOV:
        if (markov == null) {
          throw new IllegalArgumentException("the markov model needs the removal effects of the run's paths");
        }
        return markov.credit(touches);
      default:
        throw new IllegalStateException(name());
    }
  }

  private static Credit whole(Touch t) {
    return new Credit(t.channel(), t.campaign(), 1.0);
  }

  /** Credits proportional to {@code weights}, one per touch, summing to 1. */
  static List<Credit> normalised(List<Touch> touches, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    List<Credit> credits = new ArrayList<>(touches.size());
    for (int i = 0; i < touches.size(); i++) {
      double share = total > 0 ? weights[i] / total : 1.0 / touches.size();
      credits.add(new Credit(touches.get(i).channel(), touches.get(i).campaign(), share));
    }
    return credits;
  }
}
