package org.lambdadist.serving.http;

import java.util.List;
import java.util.Map;

/**
 * One request as an endpoint sees it: the path variables of its route (in order), the query
 * parameters (each name with its values in order) and, for a POST, the body's bytes (empty for
 * a GET). The HTTP server has already capped the body at {@code lambda.serving.max-request-bytes}.
 */
public record ApiRequest(List<String> pathVariables, Map<String, String[]> params, byte[] body) {
  static final byte[] NO_BODY = new byte[0];

  public ApiRequest {
    body = body == null ? NO_BODY : body;
  }

  String variable(int i) {
    return pathVariables.get(i);
  }
}
