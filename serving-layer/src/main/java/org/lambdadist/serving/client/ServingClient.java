package org.lambdadist.serving.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The serving API from Java: {@link #lookup}, {@link #views}, {@link #status}. Thread-safe;
 * one instance per service. A non-2xx answer throws {@link ServingException} with the API's
 * status and error message.
 */
public final class ServingClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final String token;
  private final HttpClient http;
  private final Duration timeout;

  /** A client of the service at {@code base} (e.g. {@code http://localhost:8080}), no token. */
  public ServingClient(URI base) {
    this(base, null, Duration.ofSeconds(10));
  }

  public ServingClient(URI base, String bearerToken, Duration timeout) {
    this.base = base;
    this.token = bearerToken;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** One row of a lookup: its bucket start, key and metric values (Long, Double or null). */
  public record Row(Instant bucket, Map<String, String> key, Map<String, Number> metrics) {}

  /** A lookup's answer: its rows in bucket order and the coverage as the API gave it. */
  public record Lookup(List<Row> rows, JsonNode coverage) {}

  /**
   * The rows of one key of {@code view} at {@code granularity} with bucket start in
   * {@code [from, to)}. {@code key} gives every dimension; a null value asks for rows where
   * the dimension was missing.
   */
  public Lookup lookup(String view, String granularity, Instant from, Instant to, Map<String, String> key)
      throws IOException, InterruptedException {
    StringBuilder q = new StringBuilder("from=").append(from).append("&to=").append(to);
    for (Map.Entry<String, String> d : key.entrySet()) {
      if (d.getValue() == null) {
        q.append("&null=").append(encode(d.getKey()));
      } else {
        q.append('&').append(encode(d.getKey())).append('=').append(encode(d.getValue()));
      }
    }
    JsonNode answer = get("/v1/views/" + encode(view) + "/" + encode(granularity) + "?" + q);
    List<Row> rows = new ArrayList<>();
    for (JsonNode r : answer.get("rows")) {
      Map<String, String> k = new LinkedHashMap<>();
      r.get("key").fields().forEachRemaining(e -> k.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
      Map<String, Number> m = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = r.get("metrics").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        m.put(e.getKey(), v.isNull() ? null : v.isIntegralNumber() ? (Number) v.asLong() : (Number) v.asDouble());
      }
      rows.add(new Row(Instant.parse(r.get("bucket").asText()), Collections.unmodifiableMap(k),
          Collections.unmodifiableMap(m)));
    }
    return new Lookup(rows, answer.get("coverage"));
  }

  /**
   * Credited conversions and revenue of {@code model} for the days {@code from..to}
   * (inclusive), by {@code channel} or {@code campaign}; {@code model} "compare" gives every
   * model side by side.
   */
  public JsonNode attribution(String model, java.time.LocalDate from, java.time.LocalDate to, String by)
      throws IOException, InterruptedException {
    return get("/v1/attribution/" + encode(model) + "?from=" + from + "&to=" + to + "&by=" + encode(by));
  }

  /** The views and their schemas. */
  public JsonNode views() throws IOException, InterruptedException {
    return get("/v1/views");
  }

  /** Versions, epochs and health. */
  public JsonNode status() throws IOException, InterruptedException {
    return get("/v1/status");
  }

  private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(timeout).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    JsonNode body = JSON.readTree(response.body());
    if (response.statusCode() / 100 != 2) {
      throw new ServingException(response.statusCode(), body.has("error") ? body.get("error").asText() : response.body());
    }
    return body;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
