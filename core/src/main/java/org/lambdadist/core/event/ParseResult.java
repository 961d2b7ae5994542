package org.lambdadist.core.event;

/**
 * The outcome of parsing one record: exactly one of an {@link Event} or a {@link Rejection}.
 * A value rather than an exception, because a reject is an ordinary, counted outcome.
 */
public final class ParseResult {
  private final Event event;
  private final Rejection rejection;

  private ParseResult(Event event, Rejection rejection) {
    this.event = event;
    this.rejection = rejection;
  }

  public static ParseResult accepted(Event event) {
    return new ParseResult(event, null);
  }

  public static ParseResult rejected(RejectReason reason, String message) {
    return new ParseResult(null, new Rejection(reason, message));
  }

  public boolean isAccepted() {
    return event != null;
  }

  /** The event; only when {@link #isAccepted()}. */
  public Event event() {
    if (event == null) {
      throw new IllegalStateException("rejected: " + rejection);
    }
    return event;
  }

  /** The rejection; only when not {@link #isAccepted()}. */
  public Rejection rejection() {
    if (rejection == null) {
      throw new IllegalStateException("accepted: " + event);
    }
    return rejection;
  }
}
