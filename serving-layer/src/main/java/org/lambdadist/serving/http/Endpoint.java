package org.lambdadist.serving.http;

import java.io.IOException;

/**
 * One endpoint of the API: parses its path variables, parameters and body, reads through
 * {@link org.lambdadist.serving.read.ServingReads} and renders its JSON answer. Request errors
 * are {@link ApiException}s with their status; store errors propagate and the router turns them
 * into 503 (unavailable) or 500 (inconsistent).
 */
interface Endpoint {
  ApiResponse answer(ApiRequest request) throws ApiException, IOException;
}
