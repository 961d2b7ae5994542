package org.lambdadist.serving.client;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The serving API from Java: {@link #lookup} (one key, or many in one request), {@link #views},
 * {@link #attribution}, {@link #status}; the {@code …Answer} methods give an answer as the API
 * sent it as well (for {@code lambda query}, which prints it unchanged). Thread-safe; one
 * instance per service. A non-2xx answer throws {@link ServingException} with the API's status
 * and error message.
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

  /**
   * An answer as the API sent it: its JSON text, unchanged (to print or pass on), and the same
   * parsed. The typed methods ({@link #lookup}, {@link #views}, …) read the parsed tree.
   */
  public record Answer(String text, JsonNode json) {}

  /** One row of a lookup: its bucket start, key and metric values (Long, Double or null). */
  public record Row(Instant bucket, Map<String, String> key, Map<String, Number> metrics) {}

  /** A lookup's answer: its rows in bucket order and the coverage as the API gave it. */
  public record Lookup(List<Row> rows, JsonNode coverage) {
    /** The lookup in a single-key answer of the API. */
    public static Lookup of(JsonNode answer) {
      return new Lookup(ServingClient.rows(answer.get("rows")), answer.get("coverage"));
    }
  }

  /**
   * The rows of one key of {@code view} at {@code granularity} with bucket start in
   * {@code [from, to)}. {@code key} gives every dimension; a null value asks for rows where
   * the dimension was missing.
   */
  public Lookup lookup(String view, String granularity, Instant from, Instant to, Map<String, String> key)
      throws IOException, InterruptedException {
    return Lookup.of(lookupAnswer(view, granularity, from, to, key).json());
  }

  /** {@link #lookup(String, String, Instant, Instant, Map)}'s answer as the API sent it. */
  public Answer lookupAnswer(String view, String granularity, Instant from, Instant to, Map<String, String> key)
      throws IOException, InterruptedException {
    StringBuilder q = new StringBuilder("from=").append(from).append("&to=").append(to);
    for (Map.Entry<String, String> d : key.entrySet()) {
      if (d.getValue() == null) {
        q.append("&null=").append(encode(d.getKey()));
      } else {
        q.append('&').append(encode(d.getKey())).append('=').append(encode(d.getValue()));
      }
    }
    return send("/v1/views/" + encode(view) + "/" + encode(granularity) + "?" + q, null);
  }

  /** One key's part of a multi-key lookup: its rows, or (rows empty) the error the API gave for that key. */
  public record KeyLookup(Map<String, String> key, List<Row> rows, String error) {
    public boolean ok() {
      return error == null;
    }
  }

  /** A multi-key lookup's answer: one {@link KeyLookup} per key asked, in order, and one coverage. */
  public record Lookups(List<KeyLookup> results, JsonNode coverage) {
    /** The lookups in a multi-key answer of the API. */
    public static Lookups of(JsonNode answer) {
      List<KeyLookup> results = new ArrayList<>();
      for (JsonNode r : answer.get("results")) {
        if (r.has("error")) {
          results.add(new KeyLookup(null, List.of(), r.get("error").asText()));
        } else {
          results.add(new KeyLookup(key(r.get("key")), rows(r.get("rows")), null));
        }
      }
      return new Lookups(results, answer.get("coverage"));
    }
  }

  /**
   * The rows of several keys of {@code view} at {@code granularity} in {@code [from, to)}, in
   * one request ({@code POST /v1/views/{view}/{granularity}/lookup}; at most
   * {@code lambda.serving.lookup.max-keys} keys). Each key gives every dimension (a null value
   * asks for rows where it was missing); a key the API refuses comes back with its error, the
   * others with their rows.
   */
  public Lookups lookup(String view, String granularity, Instant from, Instant to, List<Map<String, String>> keys)
      throws IOException, InterruptedException {
    return Lookups.of(lookupAnswer(view, granularity, from, to, keys).json());
  }

  /** {@link #lookup(String, String, Instant, Instant, List)}'s answer as the API sent it. */
  public Answer lookupAnswer(String view, String granularity, Instant from, Instant to, List<Map<String, String>> keys)
      throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.put("from", from.toString());
    body.put("to", to.toString());
    ArrayNode keysNode = body.putArray("keys");
    for (Map<String, String> key : keys) {
      ObjectNode k = keysNode.addObject();
      key.forEach(k::put);
    }
    return send("/v1/views/" + encode(view) + "/" + encode(granularity) + "/lookup",
        HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
  }

  private static Map<String, String> key(JsonNode keyNode) {
    Map<String, String> k = new LinkedHashMap<>();
    keyNode.fields().forEachRemaining(e -> k.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
    return Collections.unmodifiableMap(k);
  }

  private static List<Row> rows(JsonNode rowsNode) {
    List<Row> rows = new ArrayList<>();
    for (JsonNode r : rowsNode) {
      Map<String, Number> m = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = r.get("metrics").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        m.put(e.getKey(), v.isNull() ? null : v.isIntegralNumber() ? (Number) v.asLong() : (Number) v.asDouble());
      }
      rows.add(new Row(Instant.parse(r.get("bucket").asText()), key(r.get("key")), Collections.unmodifiableMap(m)));
    }
    return rows;
  }

  /**
   * Credited conversions and revenue of {@code model} for the days {@code from..to}
   * (inclusive), by {@code channel} or {@code campaign}; {@code model} "compare" gives every
   * model side by side.
   */
  public JsonNode attribution(String model, LocalDate from, LocalDate to, String by)
      throws IOException, InterruptedException {
    return attributionAnswer(model, from, to, by).json();
  }

  /** {@link #attribution}'s answer as the API sent it; a null {@code by} leaves it to the API (by channel). */
  public Answer attributionAnswer(String model, LocalDate from, LocalDate to, String by)
      throws IOException, InterruptedException {
    return send("/v1/attribution/" + encode(model) + "?from=" + from + "&to=" + to
        + (by == null ? "" : "&by=" + encode(by)), null);
  }

  /** The views and their schemas. */
  public JsonNode views() throws IOException, InterruptedException {
    return viewsAnswer().json();
  }

  /** {@link #views}' answer as the API sent it. */
  public Answer viewsAnswer() throws IOException, InterruptedException {
    return send("/v1/views", null);
  }

  /** Versions, epochs and health. */
  public JsonNode status() throws IOException, InterruptedException {
    return send("/v1/status", null).json();
  }

  /** The service this client asks. */
  public URI base() {
    return base;
  }

  /**
   * A GET, or a POST of a JSON {@code body} when it is not null. An error answer that is not
   * the API's JSON (a proxy's page, say) still throws {@link ServingException}, with the start
   * of its text.
   */
  private Answer send(String pathAndQuery, HttpRequest.BodyPublisher body) throws IOException, InterruptedException {
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
    boolean ok = response.statusCode() / 100 == 2;
    JsonNode answer;
    try {
      answer = JSON.readTree(response.body());
    } catch (JsonProcessingException e) {
      if (ok) {
        throw new IOException(base + " answered " + response.statusCode() + " with a body that is not JSON: "
            + excerpt(response.body()), e);
      }
      throw new ServingException(response.statusCode(), excerpt(response.body()), null);
    }
    if (!ok) {
      boolean apiError = answer != null && answer.has("error");
      throw new ServingException(response.statusCode(),
          apiError ? answer.get("error").asText() : excerpt(response.body()),
          apiError && answer.has("request_id") ? answer.get("request_id").asText() : null);
    }
    if (answer == null || answer.isMissingNode()) {
      throw new IOException(base + " answered " + response.statusCode() + " with an empty body");
    }
    return new Answer(response.body(), answer);
  }

  /** The start of a body for a message: one line, at most 200 characters. */
  private static String excerpt(String body) {
    String line = body.strip().replaceAll("\\s+", " ");
    if (line.isEmpty()) {
      return "(empty body)";
    }
    return line.length() <= 200 ? line : line.substring(0, 200) + "…";
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
