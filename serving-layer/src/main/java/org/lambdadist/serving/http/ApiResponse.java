package org.lambdadist.serving.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An API answer: the HTTP status, the JSON body as UTF-8 bytes (written once by the endpoint's
 * generator, handed to the server without another copy) and any extra headers (such as
 * {@code Retry-After} or {@code Allow}).
 */
public record ApiResponse(int status, byte[] body, Map<String, String> headers) {
  public ApiResponse {
    headers = Map.copyOf(headers);
  }

  public ApiResponse(int status, byte[] body) {
    this(status, body, Map.of());
  }

  /** The body as text (tests and logs). */
  public String json() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
