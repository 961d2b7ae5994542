package org.lambdadist.serving.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.event.EventLimits;
import org.lambdadist.core.render.ViewRowWriter;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewDefinition;
import org.lambdadist.serving.read.ServingReads;
import org.lambdadist.storage.hbase.SeriesReads;
import org.lambdadist.storage.hbase.ServingState;

/**
 * {@code POST /v1/views/{view}/{granularity}/lookup} with a JSON body
 * {@code {"from": T, "to": T, "keys": [{dimension: value|null, …}, …]}}: many keys' buckets in
 * one range, read with one scan per table for all of them, with one coverage. A key that is
 * not a lookup (a dimension missing or unknown, a value that is not a string or null, or longer
 * than any event's) gets its own error in the answer, and the other keys are answered. Whole
 * requests are refused when the body is not such an object, the view, granularity or range is
 * refused as a GET lookup's would be, there are more than {@code lambda.serving.lookup.max-keys}
 * keys, or they hold more than {@code lambda.serving.lookup.max-rows} rows.
 */
final class MultiLookupEndpoint implements Endpoint {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build();
  private static final Set<String> FIELDS = Set.of("from", "to", "keys");

  private final ServingReads reads;
  private final ServedViews views;
  private final int maxBuckets;
  private final int maxKeys;
  private final int maxRows;
  private final EventLimits limits;

  MultiLookupEndpoint(ServingReads reads, ServedViews views, int maxBuckets, int maxKeys, int maxRows,
                      EventLimits limits) {
    this.reads = reads;
    this.views = views;
    this.maxBuckets = maxBuckets;
    this.maxKeys = maxKeys;
    this.maxRows = maxRows;
    this.limits = limits;
  }

  /** One key of the request: its dimension values, or why it is not a lookup. */
  private record AskedKey(List<String> dims, String error) {}

  @Override
  public ApiResponse answer(ApiRequest request) throws ApiException, IOException {
    if (!request.params().isEmpty()) {
      throw new ApiException(400, "a multi-key lookup takes no query parameters: from, to and keys are in the body");
    }
    JsonNode body = parse(request.body());
    ServingState state = reads.state();
    LookupTarget target = LookupTarget.of(views.of(state.pointer()), request.variable(0), request.variable(1))
        .within(time(body, "from"), time(body, "to"), maxBuckets);
    ViewDefinition view = target.view();
    Granularity g = target.granularity();
    JsonNode keysNode = body.get("keys");
    if (keysNode == null || !keysNode.isArray()) {
      throw new ApiException(400, "'keys' is required: an array of objects, each giving every dimension of view '"
          + view.name() + "' (" + String.join(", ", view.dimensions()) + ")");
    }
    if (keysNode.size() > maxKeys) {
      throw new ApiException(400, "the request has " + keysNode.size() + " keys, over the limit of " + maxKeys
          + " (" + LambdaKeys.SERVING_LOOKUP_MAX_KEYS + ")");
    }
    List<AskedKey> asked = new ArrayList<>(keysNode.size());
    List<List<String>> valid = new ArrayList<>();
    for (JsonNode k : keysNode) {
      AskedKey a = key(view, k);
      asked.add(a);
      if (a.error() == null) {
        valid.add(a.dims());
      }
    }
    SeriesReads read = reads.seriesOfKeys(state, view, valid, g, target.from(), target.to(), maxRows);
    if (read.overLimit()) {
      throw new ApiException(400, "the keys hold more than " + maxRows + " rows in this range ("
          + LambdaKeys.SERVING_LOOKUP_MAX_ROWS + "): ask for fewer keys or a shorter range");
    }
    return JsonBodies.ok(json -> {
      json.writeStartObject();
      json.writeStringField("view", view.name());
      json.writeStringField("granularity", g.label());
      json.writeStringField("from", Granularity.formatInstant(target.from()));
      json.writeStringField("to", Granularity.formatInstant(target.to()));
      json.writeArrayFieldStart("results");
      ViewRowWriter.RowObjects rows = new ViewRowWriter.RowObjects(view);
      int v = 0;
      for (AskedKey a : asked) {
        json.writeStartObject();
        if (a.error() != null) {
          json.writeStringField("error", a.error());
          json.writeNumberField("status", 400);
        } else {
          target.writeKey(json, a.dims());
          json.writeArrayFieldStart("rows");
          for (Map.Entry<Long, RowAggregate> row : read.rows().get(v++).entrySet()) {
            rows.write(json, a.dims(), g, row.getKey(), row.getValue(), null, false);
          }
          json.writeEndArray();
        }
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeFieldName("coverage");
      JsonBodies.writeCoverage(json, read.pointer(), read.speedEpochs());
      json.writeEndObject();
    });
  }

  private static JsonNode parse(byte[] body) throws ApiException {
    if (body.length == 0) {
      throw new ApiException(400, "the body is empty: send {\"from\": …, \"to\": …, \"keys\": [{…}, …]}");
    }
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new ApiException(400, "the body is not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ApiException(400, "the body cannot be read as JSON: " + e.getMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new ApiException(400, "the body must be a JSON object {\"from\": …, \"to\": …, \"keys\": [{…}, …]}");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!FIELDS.contains(name)) {
        throw new ApiException(400, "unknown field '" + name + "' in the body (it has from, to and keys)");
      }
    }
    return node;
  }

  /** {@code from} or {@code to}: an ISO-8601 string with zone, or epoch millis as a string or an integer. */
  private static long time(JsonNode body, String name) throws ApiException {
    JsonNode t = body.get(name);
    if (t != null && t.isIntegralNumber() && t.canConvertToLong()) {
      return RequestParams.time(name, Long.toString(t.asLong()));
    }
    if (t == null || !t.isTextual() || t.asText().isEmpty()) {
      throw new ApiException(400, "'" + name + "' is required: an ISO-8601 instant or epoch millis");
    }
    return RequestParams.time(name, t.asText());
  }

  /** A key object checked against the view: every dimension once, each a string or null. */
  private AskedKey key(ViewDefinition view, JsonNode k) {
    if (!k.isObject()) {
      return new AskedKey(null, "a key is an object giving every dimension (" + String.join(", ", view.dimensions())
          + "), not " + k.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
    }
    for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!view.dimensions().contains(name)) {
        return new AskedKey(null, "unknown dimension '" + name + "' (view '" + view.name() + "' has "
            + String.join(", ", view.dimensions()) + ")");
      }
    }
    List<String> dims = new ArrayList<>(view.dimensions().size());
    for (String d : view.dimensions()) {
      JsonNode v = k.get(d);
      if (v == null) {
        return new AskedKey(null, "missing dimension '" + d + "' (a key gives every dimension: "
            + String.join(", ", view.dimensions()) + "; null for a missing value)");
      }
      if (v.isNull()) {
        dims.add(null);
        continue;
      }
      if (!v.isTextual()) {
        return new AskedKey(null, "dimension '" + d + "' must be a string or null, as events' values are keyed");
      }
      String tooLong = RequestParams.tooLong(d, v.asText(), limits);
      if (tooLong != null) {
        return new AskedKey(null, tooLong);
      }
      dims.add(v.asText());
    }
    return new AskedKey(dims, null);
  }
}
