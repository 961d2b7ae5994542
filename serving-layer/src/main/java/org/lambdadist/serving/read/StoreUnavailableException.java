package org.lambdadist.serving.read;

import java.io.IOException;

/** The store did not answer in time, or cannot be reached: the API answers 503 and the caller may retry. */
public class StoreUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
