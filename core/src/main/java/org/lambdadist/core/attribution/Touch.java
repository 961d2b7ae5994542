package org.lambdadist.core.attribution;

import java.util.Comparator;
import java.util.Objects;

/**
 * A marketing touch of a user: when, which event, through which channel and campaign. A
 * touch without a channel value has the channel {@link #NO_CHANNEL}; the campaign may be null.
 */
public record Touch(long timestampMillis, String eventId, String channel, String campaign) {
  /** The channel of a touch without one, and of a conversion without any touch. */
  public static final String NO_CHANNEL = "(none)";

  /** Time, then event id: the order that makes every result independent of input order. */
  public static final Comparator<Touch> ORDER = Comparator.comparingLong(Touch::timestampMillis)
      .thenComparing(Touch::eventId, Comparator.nullsFirst(Comparator.naturalOrder()));

  public Touch {
    channel = channel == null ? NO_CHANNEL : channel;
    Objects.requireNonNull(channel);
  }
}
