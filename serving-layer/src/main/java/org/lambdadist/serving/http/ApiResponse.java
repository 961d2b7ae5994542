package org.lambdadist.serving.http;

import java.util.Map;

/** An API answer: the HTTP status, the JSON body and any extra headers (such as {@code Retry-After}). */
public record ApiResponse(int status, String json, Map<String, String> headers) {
  public ApiResponse {
    headers = Map.copyOf(headers);
  }

  public ApiResponse(int status, String json) {
    this(status, json, Map.of());
  }
}
