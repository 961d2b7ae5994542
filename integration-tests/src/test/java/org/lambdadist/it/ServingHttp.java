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

  /**
   * Key lookups for every (view, granularity, key) the oracle knows, over the buckets it spans
   * (in windows of at most {@value #WINDOW_BUCKETS} buckets, under the API's cap); every row answered.
   */
  Map<String, ViewOracle.Row> lookupAll(Map<String, ViewOracle.Row> expected) throws Exception {
    Map<String, java.util.TreeSet<Long>> buckets = new LinkedHashMap<>();
    Map<String, ViewOracle.Row> sample = new HashMap<>();
    for (ViewOracle.Row r : expected.values()) {
      String series = r.view() + "|" + r.granularity() + "|" + r.key();
      buckets.computeIfAbsent(series, k -> new java.util.TreeSet<>()).add(Instant.parse(r.bucket()).toEpochMilli());
      sample.putIfAbsent(series, r);
    }
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, java.util.TreeSet<Long>> e : buckets.entrySet()) {
      ViewOracle.Row r = sample.get(e.getKey());
      ViewDefinition v = catalog.view(r.view());
      Granularity g = Granularity.fromLabel(r.granularity());
      StringBuilder key = new StringBuilder();
      for (int i = 0; i < v.dimensions().size(); i++) {
        String value = r.key().get(i);
        key.append(value == null ? "&null=" + enc(v.dimensions().get(i)) : "&" + enc(v.dimensions().get(i)) + "=" + enc(value));
      }
      java.util.Iterator<Long> it = e.getValue().iterator();
      long windowStart = it.next();
      long last = windowStart;
      while (true) {
        Long next = it.hasNext() ? it.next() : null;
        if (next != null && next < windowStart + WINDOW_BUCKETS * g.sizeMillis()) {
          last = next;
          continue;
        }
        String q = "/v1/views/" + r.view() + "/" + r.granularity() + "?from=" + enc(Instant.ofEpochMilli(windowStart).toString())
            + "&to=" + enc(Instant.ofEpochMilli(last + g.sizeMillis()).toString()) + key;
        for (JsonNode row : getJson(q).get("rows")) {
          lines.add(row.toString());
        }
        if (next == null) {
          break;
        }
        windowStart = next;
        last = next;
      }
    }
    return BatchHarness.parseExport(lines);
  }

  /** Buckets one test lookup covers at most (the API's default cap is 10,080). */
  private static final long WINDOW_BUCKETS = 10_000;

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
