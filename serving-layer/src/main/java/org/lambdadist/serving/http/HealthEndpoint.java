package org.lambdadist.serving.http;


/**
 * {@code GET /v1/health}: liveness only, for load balancers and supervisors. No authentication
 * and no store access, so it answers while HBase is away; {@code /v1/status} says how the store is.
 */
final class HealthEndpoint implements Endpoint {
  @Override
  public ApiResponse answer(ApiRequest request) {
    return JsonBodies.ok(json -> {
      json.writeStartObject();
      json.writeStringField("status", "ok");
      json.writeEndObject();
    });
  }
}
