package org.lambdadist.serving.client;

import java.io.IOException;

/** An API error answer: its HTTP status and the API's message. */
public class ServingException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public ServingException(int status, String message) {
    super(status + ": " + message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
