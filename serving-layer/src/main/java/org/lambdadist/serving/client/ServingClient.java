package org.lambdadist.serving.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * The serving API from Java: {@link #lookup} (one key, or many in one request), {@link #views},
 * {@link #status}. Thread-safe; one instance per service. A non-2xx answer throws
 * {@link ServingException} with the API's status and error message.
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
    return new Lookup(rows(answer.get("rows")), answer.get("coverage"));
  }

  /** One key's part of a multi-key lookup: its rows, or (rows empty) the error the API gave for that key. */
  public record KeyLookup(Map<String, String> key, List<Row> rows, String error) {
    public boolean ok() {
      return error == null;
    }
  }

  /** A multi-key lookup's answer: one {@link KeyLookup} per key asked, in order, and one coverage. */
  public record Lookups(List<KeyLookup> results, JsonNode coverage) {}

  /**
   * The rows of several keys of {@code view} at {@code granularity} in {@code [from, to)}, in
   * one request ({@code POST /v1/views/{view}/{granularity}/lookup}; at most
   * {@code lambda.serving.lookup.max-keys} keys). Each key gives every dimension (a null value
   * asks for rows where it was missing); a key the API refuses comes back with its error, the
   * others with their rows.
   */
  public Lookups lookup(String view, String granularity, Instant from, Instant to, List<Map<String, String>> keys)
      throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.put("from", from.toString());
    body.put("to", to.toString());
    ArrayNode keysNode = body.putArray("keys");
    for (Map<String, String> key : keys) {
      ObjectNode k = keysNode.addObject();
      key.forEach(k::put);
    }
    JsonNode answer = send("/v1/views/" + encode(view) + "/" + encode(granularity) + "/lookup",
        HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    List<KeyLookup> results = new ArrayList<>();
    for (JsonNode r : answer.get("results")) {
      if (r.has("error")) {
        results.add(new KeyLookup(null, List.of(), r.get("error").asText()));
      } else {
        Map<String, String> k = new LinkedHashMap<>();
        r.get("key").fields().forEachRemaining(e -> k.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        results.add(new KeyLookup(Collections.unmodifiableMap(k), rows(r.get("rows")), null));
      }
    }
    return new Lookups(results, answer.get("coverage"));
  }

  private static List<Row> rows(JsonNode rowsNode) {
    List<Row> rows = new ArrayList<>();
    for (JsonNode r : rowsNode) {
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
    return rows;
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
    return send(pathAndQuery, null);
  }

  /** A GET, or a POST of a JSON {@code body} when it is not null. */
  private JsonNode send(String pathAndQuery, HttpRequest.BodyPublisher body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(timeout);
    if (body == null) {
      request.GET();
    } else {
      request.POST(body).header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    JsonNode answer = JSON.readTree(response.body());
    if (response.statusCode() / 100 != 2) {
      throw new ServingException(response.statusCode(),
          answer.has("error") ? answer.get("error").asText() : response.body());
    }
    return answer;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
