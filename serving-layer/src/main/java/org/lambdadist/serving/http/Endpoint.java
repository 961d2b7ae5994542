package org.lambdadist.serving.http;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One endpoint of the API: parses its path variables and parameters, reads through
 * {@link org.lambdadist.serving.read.ServingReads} and renders its JSON answer. Request errors
 * are {@link ApiException}s with their status; store errors propagate and the router turns them
 * into 503 (unavailable) or 500 (inconsistent).
 */
interface Endpoint {
  ApiResponse answer(List<String> pathVariables, Map<String, String[]> params) throws ApiException, IOException;
}
