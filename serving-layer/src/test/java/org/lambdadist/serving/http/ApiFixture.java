package org.lambdadist.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.lambdadist.core.view.ViewCatalog;

/** The API over {@link InMemoryServingReads}: no HBase, no Jetty, milliseconds per test. */
final class ApiFixture {
  static final String VIEWS = "{\"views\":[{\"name\":\"traffic\",\"dimensions\":[\"campaign\",\"channel\"],"
      + "\"granularities\":[\"minute\",\"day\"],\"metrics\":[{\"name\":\"events\",\"type\":\"count\"},"
      + "{\"name\":\"revenue\",\"type\":\"sum\",\"field\":\"revenue\"},{\"name\":\"users\",\"type\":\"distinct\",\"field\":\"user\"}]}]}";
  private static final ObjectMapper JSON = new ObjectMapper();

  final InMemoryServingReads reads = new InMemoryServingReads();
  final Configuration settings = new Configuration(false);
  final ViewCatalog catalog;
  final Clock clock = Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC);
  private ServingApi api;

  ApiFixture() {
    try {
      catalog = ViewCatalog.parse(VIEWS, "test views");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  ServingApi api() {
    if (api == null) {
      api = new ServingApi(reads, settings, catalog, clock);
    }
    return api;
  }

  /** GETs a path with a query ({@code a=1&b=2}, no escaping) and returns the answer. */
  ApiResponse get(String pathAndQuery) {
    return get(pathAndQuery, null);
  }

  ApiResponse get(String pathAndQuery, String authorization) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    Map<String, String[]> params = new LinkedHashMap<>();
    if (q >= 0) {
      for (String kv : pathAndQuery.substring(q + 1).split("&")) {
        int eq = kv.indexOf('=');
        String k = eq < 0 ? kv : kv.substring(0, eq);
        String v = eq < 0 ? "" : kv.substring(eq + 1);
        params.merge(k, new String[] {v}, (a, b) -> {
          String[] both = java.util.Arrays.copyOf(a, a.length + 1);
          both[a.length] = b[0];
          return both;
        });
      }
    }
    return api().get(path, params, authorization);
  }

  /** POSTs a body to a path and returns the answer. */
  ApiResponse post(String path, String body) {
    return api().post(path, Map.of(), body.getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
  }

  JsonNode postJson(String path, String body, int expectedStatus) throws Exception {
    ApiResponse r = post(path, body);
    org.junit.jupiter.api.Assertions.assertEquals(expectedStatus, r.status(), r.json());
    return JSON.readTree(r.json());
  }

  JsonNode json(String pathAndQuery, int expectedStatus) throws Exception {
    ApiResponse r = get(pathAndQuery);
    org.junit.jupiter.api.Assertions.assertEquals(expectedStatus, r.status(), r.json());
    return JSON.readTree(r.json());
  }
}
