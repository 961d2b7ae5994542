package org.lambdadist.serving.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lambdadist.core.codec.CodecException;

/**
 * Routes a request to its endpoint by method and path, one line per route, after the
 * bearer-token check (a path served for another method is a 405 that says which), and turns
 * every failure into a JSON error: an {@link ApiException} with its status, a store that does
 * not answer 503, an inconsistent store 500. A path segment written {@code {name}} in a route
 * is a path variable, handed to the endpoint in order.
 */
final class ApiRouter {
  private record Route(String method, String pattern, String[] segments, Endpoint endpoint, boolean open) {}
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiRouter.class);

  private final List<Route> routes = new ArrayList<>();
  private final byte[] token;

  /** A router; {@code token} null or empty: no authentication. */
  ApiRouter(String token) {
    this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  ApiRouter route(String method, String pattern, Endpoint endpoint) {
    routes.add(new Route(method, pattern, split(pattern).toArray(new String[0]), endpoint, false));
    return this;
  }

  /** A route that is open ({@link #openRoute}) when {@code open}, else one that needs the token. */
  ApiRouter route(String method, String pattern, Endpoint endpoint, boolean open) {
    return open ? openRoute(pattern, endpoint) : route(method, pattern, endpoint);
  }

  /**
   * A GET route answered without authentication and outside the request gate: liveness, the
   * metrics, the API's description and the dashboard's files (which hold no data: the page
   * asks the API for it, with the token when one is set).
   */
  ApiRouter openRoute(String pattern, Endpoint endpoint) {
    routes.add(new Route("GET", pattern, split(pattern).toArray(new String[0]), endpoint, true));
    return this;
  }

  /** True when the method and path are an open route (no authentication, no store). */
  boolean isOpen(String method, String path) {
    List<String> parts = split(path);
    return routes.stream().anyMatch(r -> r.open() && r.method().equals(method) && match(r.segments(), parts) != null);
  }

  /** Every route as {@code METHOD pattern}, in the order added (the API description is checked against it). */
  List<String> routes() {
    return routes.stream().map(r -> r.method() + " " + r.pattern()).toList();
  }

  /**
   * The route a request goes to, as written ({@code /v1/views/{view}/{granularity}}), whatever
   * its method; {@code "unmatched"} when none: a label for metrics whose number of values is
   * bounded by the routes, never by what clients send.
   */
  String routeOf(String path) {
    List<String> parts = split(path);
    for (Route r : routes) {
      if (match(r.segments(), parts) != null) {
        return r.pattern();
      }
    }
    return "unmatched";
  }

  /**
   * Answers one request; {@code authorization} is the Authorization header or null,
   * {@code body} the POST body (null for a GET).
   */
  ApiResponse handle(String method, String path, Map<String, String[]> params, byte[] body, String authorization,
                     String requestId) {
    try {
      List<String> parts = split(path);
      List<String> allowed = new ArrayList<>(2);
      for (Route r : routes) {
        List<String> variables = match(r.segments(), parts);
        if (variables == null) {
          continue;
        }
        if (!r.method().equals(method)) {
          allowed.add(r.method());
          continue;
        }
        if (!r.open()) {
          authorize(authorization);
        }
        return r.endpoint().answer(new ApiRequest(variables, params, body));
      }
      authorize(authorization);
      if (!allowed.isEmpty()) {
        String allow = String.join(", ", allowed);
        ApiResponse e = JsonBodies.error(405, method + " is not served here; " + path + " answers " + allow, requestId);
        return new ApiResponse(405, e.body(), Map.of("Allow", allow));
      }
      throw new ApiException(404, "no such endpoint: " + path + " (try /v1/views, /v1/views/{view}/{granularity}, "
          + "POST /v1/views/{view}/{granularity}/lookup, /v1/attribution/{model}, /v1/status, /v1/health; "
          + "the API is described at /v1/openapi.json)");
    } catch (ApiException e) {
      return JsonBodies.error(e.status(), e.getMessage(), requestId);
    } catch (IllegalStateException | CodecException e) {
      LOG.error("request {} {}: the store contradicts itself", requestId, path, e);
      return JsonBodies.error(500, "the store is inconsistent (details in the server log)", requestId);
    } catch (IOException e) {
      LOG.warn("request {} {}: store unavailable: {}", requestId, path, e.toString());
      return JsonBodies.error(503, "the store is unavailable; retry later", requestId);
    } catch (RuntimeException e) {
      LOG.error("request {} {}: failed", requestId, path, e);
      return JsonBodies.error(500, "internal error (details in the server log)", requestId);
    }
  }

  private void authorize(String authorization) throws ApiException {
    if (token == null) {
      return;
    }
    byte[] given = authorization != null && authorization.startsWith("Bearer ")
        ? authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
    if (!MessageDigest.isEqual(token, given)) {
      throw new ApiException(401, "missing or wrong bearer token (Authorization: Bearer TOKEN)");
    }
  }

  private static List<String> match(String[] pattern, List<String> parts) {
    if (pattern.length != parts.size()) {
      return null;
    }
    List<String> variables = new ArrayList<>(pattern.length);
    for (int i = 0; i < pattern.length; i++) {
      if (pattern[i].startsWith("{")) {
        variables.add(parts.get(i));
      } else if (!pattern[i].equals(parts.get(i))) {
        return null;
      }
    }
    return variables;
  }

  private static List<String> split(String path) {
    List<String> parts = new ArrayList<>(8);
    int at = 0;
    while (at < path.length()) {
      int end = path.indexOf('/', at);
      if (end < 0) {
        end = path.length();
      }
      if (end > at) {
        parts.add(path.substring(at, end));
      }
      at = end + 1;
    }
    return parts;
  }
}
