package org.lambdadist.serving.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.lambdadist.serving.client.ServingClient;

/**
 * The API's answers as text for a person at a terminal: a title line (what was asked), an
 * aligned table, and a last line saying what the answer covers (the batch version and its
 * epochs, the speed layer's epochs on top). A lookup prints one line per bucket, the bucket's
 * start then each metric in the view's order; a multi-key lookup one such block per key, in the
 * order asked, with a refused key's error in its place. A missing metric value prints as
 * {@code -}, a missing dimension value as {@code (missing)}. Values are the JSON answer's, so a
 * table and {@code --format json} never disagree.
 */
final class AnswerTable {
  private AnswerTable() {}

  /** A single-key lookup ({@code GET /v1/views/{view}/{granularity}}). */
  static String lookup(JsonNode answer) {
    StringBuilder out = new StringBuilder();
    Map<String, String> key = new LinkedHashMap<>();
    answer.get("key").fields().forEachRemaining(d -> key.put(d.getKey(), d.getValue().isNull() ? null : d.getValue().asText()));
    out.append(range(answer)).append(", ").append(key(key)).append('\n');
    rows(out, ServingClient.Lookup.of(answer).rows());
    out.append(coverage(answer.get("coverage"))).append('\n');
    return out.toString();
  }

  /**
   * A multi-key lookup ({@code POST …/lookup}); {@code asked}: the keys as the command gave
   * them, in order, to name the ones the API refused (its answer has no key for them).
   */
  static String lookups(JsonNode answer, List<Map<String, String>> asked) {
    StringBuilder out = new StringBuilder();
    out.append(range(answer)).append(", ").append(asked.size()).append(asked.size() == 1 ? " key" : " keys")
        .append('\n');
    List<ServingClient.KeyLookup> results = ServingClient.Lookups.of(answer).results();
    for (int i = 0; i < results.size(); i++) {
      ServingClient.KeyLookup r = results.get(i);
      out.append('\n');
      if (r.ok()) {
        out.append("key ").append(key(r.key())).append('\n');
        rows(out, r.rows());
      } else {
        out.append("key ").append(i < asked.size() ? key(asked.get(i)) : "#" + (i + 1)).append(": refused: ")
            .append(r.error()).append('\n');
      }
    }
    out.append('\n').append(coverage(answer.get("coverage"))).append('\n');
    return out.toString();
  }

  /** The views and their schemas ({@code GET /v1/views}). */
  static String views(JsonNode answer) {
    TextTable table = new TextTable(List.of("view", "dimensions", "granularities", "metrics"), 4);
    for (JsonNode v : answer.get("views")) {
      List<String> metrics = new ArrayList<>();
      for (JsonNode m : v.get("metrics")) {
        String field = m.path("field").isTextual() ? "(" + m.get("field").asText() + ")" : "";
        metrics.add(m.get("name").asText() + "=" + m.get("type").asText() + field);
      }
      table.add(List.of(v.get("name").asText(), words(v.get("dimensions"), ", "), words(v.get("granularities"), ", "),
          String.join(" ", metrics)));
    }
    JsonNode version = answer.get("batch_version");
    return table.render() + (version == null || version.isNull()
        ? "no batch version loaded: the views of lambda.views.file\n"
        : "batch version " + version.asText() + "\n");
  }

  /** Credited conversions and revenue ({@code GET /v1/attribution/{model}}, or every model for compare). */
  static String attribution(JsonNode answer) {
    StringBuilder out = new StringBuilder();
    String days = "days " + answer.get("from").asText() + " to " + answer.get("to").asText() + " by "
        + answer.get("by").asText();
    if (answer.has("models")) {
      out.append("every model, ").append(days).append('\n');
      answer.get("models").fields().forEachRemaining(m -> {
        out.append('\n').append("model ").append(m.getKey()).append('\n');
        credits(out, m.getValue());
      });
      out.append('\n');
    } else {
      out.append("model ").append(answer.get("model").asText()).append(", ").append(days).append('\n');
      credits(out, answer.get("rows"));
    }
    out.append(coverage(answer.get("coverage"))).append('\n');
    return out.toString();
  }

  private static void credits(StringBuilder out, JsonNode rows) {
    if (rows.isEmpty()) {
      out.append("(no rows)\n");
      return;
    }
    boolean byCampaign = rows.get(0).has("campaign");
    List<String> headers = byCampaign ? List.of("channel", "campaign", "conversions", "revenue")
        : List.of("channel", "conversions", "revenue");
    TextTable table = new TextTable(headers, byCampaign ? 2 : 1);
    for (JsonNode r : rows) {
      List<String> cells = new ArrayList<>();
      for (String h : headers) {
        cells.add(value(r.get(h)));
      }
      table.add(cells);
    }
    out.append(table.render());
  }

  private static void rows(StringBuilder out, List<ServingClient.Row> rows) {
    if (rows.isEmpty()) {
      out.append("(no rows)\n");
      return;
    }
    List<String> headers = new ArrayList<>();
    headers.add("bucket");
    headers.addAll(rows.get(0).metrics().keySet());
    TextTable table = new TextTable(headers, 1);
    for (ServingClient.Row r : rows) {
      List<String> cells = new ArrayList<>();
      cells.add(r.bucket().toString());
      for (String metric : headers.subList(1, headers.size())) {
        Number n = r.metrics().get(metric);
        cells.add(n == null ? "-" : n.toString());
      }
      table.add(cells);
    }
    out.append(table.render());
  }

  /** {@code view granularity, from T to T}. */
  private static String range(JsonNode answer) {
    return answer.get("view").asText() + " " + answer.get("granularity").asText() + ", from "
        + answer.get("from").asText() + " to " + answer.get("to").asText();
  }

  /** A key as {@code dim=value, dim2=(missing)}. */
  static String key(Map<String, String> key) {
    if (key.isEmpty()) {
      return "(no dimensions)";
    }
    StringJoiner out = new StringJoiner(", ");
    key.forEach((d, v) -> out.add(TextTable.printable(d + "=" + (v == null ? "(missing)" : v))));
    return out.toString();
  }

  /** What an answer covers: the batch version and its epochs, then the speed layer's epochs added on top. */
  static String coverage(JsonNode coverage) {
    if (coverage == null || coverage.isNull()) {
      return "coverage unknown";
    }
    StringBuilder out = new StringBuilder();
    JsonNode version = coverage.get("batch_version");
    if (version == null || version.isNull()) {
      out.append("no batch version");
    } else {
      out.append("batch version ").append(version.asText());
      JsonNode epochs = coverage.get("batch_epochs");
      if (epochs != null && epochs.isObject()) {
        out.append(" (epochs ").append(span(epochs.get("first").asLong(), epochs.get("last").asLong())).append(')');
      }
    }
    JsonNode speed = coverage.get("speed_epochs");
    if (speed != null && !speed.isEmpty()) {
      out.append(", speed layer epochs ").append(spans(speed));
    }
    return out.toString();
  }

  /** Epochs as runs: {@code 4-6, 9}. */
  private static String spans(JsonNode epochs) {
    StringJoiner out = new StringJoiner(", ");
    long first = epochs.get(0).asLong();
    long last = first;
    for (int i = 1; i < epochs.size(); i++) {
      long e = epochs.get(i).asLong();
      if (e != last + 1) {
        out.add(span(first, last));
        first = e;
      }
      last = e;
    }
    out.add(span(first, last));
    return out.toString();
  }

  private static String span(long first, long last) {
    return first == last ? Long.toString(first) : first + "-" + last;
  }

  private static String words(JsonNode array, String separator) {
    List<String> words = new ArrayList<>();
    array.forEach(w -> words.add(w.asText()));
    return String.join(separator, words);
  }

  private static String value(JsonNode v) {
    return v == null || v.isNull() ? "-" : v.asText();
  }
}
