package org.lambdadist.core.event;

import java.util.Objects;

/** A record that is not an event: the reason code and a human-readable message. */
public record Rejection(RejectReason reason, String message) {
  public Rejection {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }
}
