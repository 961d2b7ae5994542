package org.lambdadist.serving.http;

/** A request the API refuses: the HTTP status (400, 401, 404, 405, 503) and the reason. */
final class ApiException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;

  ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  ApiException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  int status() {
    return status;
  }
}
