package org.lambdadist.serving.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An API answer: the HTTP status, the body (JSON as UTF-8 bytes, written once by the endpoint's
 * generator, handed to the server without another copy) and any extra headers (such as
 * {@code Retry-After} or {@code Allow}). The body is JSON unless a {@code Content-Type} header
 * says otherwise (the metrics, the dashboard's files).
 */
public record ApiResponse(int status, byte[] body, Map<String, String> headers) {
  public ApiResponse {
    headers = Map.copyOf(headers);
  }

  public ApiResponse(int status, byte[] body) {
    this(status, body, Map.of());
  }

  /** An answer that is not JSON: {@code contentType} names it. */
  public static ApiResponse of(int status, String contentType, byte[] body, Map<String, String> headers) {
    Map<String, String> all = new java.util.LinkedHashMap<>(headers);
    all.put(CONTENT_TYPE, contentType);
    return new ApiResponse(status, body, all);
  }

  /** The content type this answer declares, or null for JSON. */
  public String contentType() {
    return headers.get(CONTENT_TYPE);
  }

  /** The header that names a body other than JSON. */
  public static final String CONTENT_TYPE = "Content-Type";

  /** The body as text (tests and logs). */
  public String json() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
