package org.lambdadist.serving.client;

import java.io.IOException;

/** An API error answer: its HTTP status, the API's message and, when it gave one, the request id its log names. */
public class ServingException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String requestId;

  public ServingException(int status, String message) {
    this(status, message, null);
  }

  public ServingException(int status, String message, String requestId) {
    super(status + ": " + message);
    this.status = status;
    this.requestId = requestId;
  }

  public int status() {
    return status;
  }

  /** The id the API logged the failure under (server errors), or null. */
  public String requestId() {
    return requestId;
  }
}
