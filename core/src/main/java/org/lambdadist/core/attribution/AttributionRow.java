package org.lambdadist.core.attribution;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Comparator;

/**
 * One row of attribution results: the credited conversions and revenue of a (model, day,
 * channel, campaign). As a JSON line exactly:
 * <pre>{"model":"linear","day":"2026-11-02","channel":"email","campaign":"w47","conversions":0.25,"revenue":25.0}</pre>
 * ({@code campaign} null when the touches had none); CSV with the header
 * {@code model,day,channel,campaign,conversions,revenue}.
 */
public record AttributionRow(String model, String day, String channel, String campaign, double conversions,
                             double revenue) {
  /** Export order: day, channel, campaign (null first). */
  public static final Comparator<AttributionRow> EXPORT_ORDER = Comparator.comparing(AttributionRow::day)
      .thenComparing(AttributionRow::channel)
      .thenComparing(AttributionRow::campaign, Comparator.nullsFirst(Comparator.naturalOrder()));

  public static final String CSV_HEADER = "model,day,channel,campaign,conversions,revenue";

  public void writeJson(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeStringField("model", model);
    json.writeStringField("day", day);
    json.writeStringField("channel", channel);
    json.writeStringField("campaign", campaign);
    json.writeNumberField("conversions", conversions);
    json.writeNumberField("revenue", revenue);
    json.writeEndObject();
  }

  public String toCsvLine() {
    return String.join(",", csv(model), csv(day), csv(channel), campaign == null ? "" : csv(campaign),
        Double.toString(conversions), Double.toString(revenue));
  }

  private static String csv(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
