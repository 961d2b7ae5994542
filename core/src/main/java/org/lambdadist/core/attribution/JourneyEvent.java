package org.lambdadist.core.attribution;

import java.math.BigDecimal;
import org.lambdadist.core.event.Event;
import org.lambdadist.core.event.EventLimits;
import org.lambdadist.core.event.FieldValues;

/**
 * What an accepted event is to attribution: a touch of a user (with channel and campaign), a
 * conversion of a user (with its revenue), or neither. One rule for every path that builds
 * journeys. An event matching both filters is a conversion. A conversion's revenue is its
 * revenue field as a number within the metric bounds of {@link EventLimits} (the bounds of a
 * {@code sum}), else 0 and {@link #badRevenue()}.
 */
public record JourneyEvent(Kind kind, String user, String channel, String campaign, double revenue, boolean badRevenue) {
  /** The roles an event can have in a journey. */
  public enum Kind {
    TOUCH, CONVERSION,
    /** A touch or conversion without a user: counted, never part of a journey. */
    NO_USER,
    /** Matches neither filter. */
    NONE
  }

  private static final JourneyEvent NONE = new JourneyEvent(Kind.NONE, null, null, null, 0, false);
  private static final JourneyEvent NO_USER = new JourneyEvent(Kind.NO_USER, null, null, null, 0, false);

  /** Classifies an accepted event under an attribution configuration. */
  public static JourneyEvent classify(Event e, AttributionConfig config, EventLimits limits) {
    boolean conversion = config.conversionFilter().matches(e);
    if (!conversion && !config.touchFilter().matches(e)) {
      return NONE;
    }
    String user = FieldValues.canonical(e.field(config.userField()));
    if (user == null) {
      return NO_USER;
    }
    if (conversion) {
      double revenue = 0;
      boolean bad = false;
      Object v = config.revenueField() == null ? null : e.field(config.revenueField());
      if (v != null) {
        BigDecimal d = limits.isMetricValue(v) ? FieldValues.decimal(v) : null;
        if (d == null) {
          bad = true;
        } else {
          revenue = d.doubleValue();
        }
      }
      return new JourneyEvent(Kind.CONVERSION, user, null, null, revenue, bad);
    }
    return new JourneyEvent(Kind.TOUCH, user, FieldValues.canonical(e.field(config.channelField())),
        config.campaignField() == null ? null : FieldValues.canonical(e.field(config.campaignField())), 0, false);
  }
}
