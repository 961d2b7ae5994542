package org.lambdadist.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lambdadist.core.testing.ViewOracle;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinition;

/** The serving layer's HTTP API as a test reads it: plain GETs and whole-oracle lookups. */
final class ServingHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final ViewCatalog catalog;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  ServingHttp(URI base, ViewCatalog catalog) {
    this.base = base;
    this.catalog = catalog;
  }

  HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode getJson(String pathAndQuery) throws Exception {
    HttpResponse<String> r = get(pathAndQuery);
    assertEquals(200, r.statusCode(), pathAndQuery + ": " + r.body());
    return JSON.readTree(r.body());
  }

  /** One key lookup per (view, granularity, key) the oracle knows, over the buckets it spans; every row answered. */
  Map<String, ViewOracle.Row> lookupAll(Map<String, ViewOracle.Row> expected) throws Exception {
    Map<String, long[]> ranges = new LinkedHashMap<>();
    Map<String, ViewOracle.Row> sample = new HashMap<>();
    for (ViewOracle.Row r : expected.values()) {
      String series = r.view() + "|" + r.granularity() + "|" + r.key();
      long t = Instant.parse(r.bucket()).toEpochMilli();
      long[] range = ranges.computeIfAbsent(series, k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
      range[0] = Math.min(range[0], t);
      range[1] = Math.max(range[1], t);
      sample.putIfAbsent(series, r);
    }
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, long[]> e : ranges.entrySet()) {
      ViewOracle.Row r = sample.get(e.getKey());
      ViewDefinition v = catalog.view(r.view());
      Granularity g = Granularity.fromLabel(r.granularity());
      StringBuilder q = new StringBuilder("/v1/views/" + r.view() + "/" + r.granularity() + "?from="
          + Instant.ofEpochMilli(e.getValue()[0]) + "&to=" + Instant.ofEpochMilli(g.bucketStart(e.getValue()[1]) + g.sizeMillis()));
      for (int i = 0; i < v.dimensions().size(); i++) {
        String value = r.key().get(i);
        q.append(value == null ? "&null=" + enc(v.dimensions().get(i)) : "&" + enc(v.dimensions().get(i)) + "=" + enc(value));
      }
      for (JsonNode row : getJson(q.toString()).get("rows")) {
        lines.add(row.toString());
      }
    }
    return BatchHarness.parseExport(lines);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
