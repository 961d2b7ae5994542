package org.lambdadist.serving.http;

import java.io.IOException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lambdadist.core.attribution.AttributionModel;
import org.lambdadist.core.attribution.CreditTable;
import org.lambdadist.core.attribution.AttributionRow;
import org.lambdadist.serving.read.ServingReads;
import org.lambdadist.storage.hbase.BatchPointer;

/**
 * {@code GET /v1/attribution/{model}?from=DAY&to=DAY&by=channel|campaign} (days inclusive), or
 * {@code /v1/attribution/compare?…} for every model side by side: the credited conversions and
 * revenue per channel, or per (channel, campaign), summed over the days with core's
 * {@link CreditTable}. Bounded: days times models at most {@code lambda.serving.attribution.max-model-days},
 * rows read at most {@code lambda.serving.attribution.max-rows} (each a 400 naming the cap).
 */
final class AttributionEndpoint implements Endpoint {
  private final ServingReads reads;
  private final int maxRows;
  private final int maxModelDays;

  AttributionEndpoint(ServingReads reads, int maxRows, int maxModelDays) {
    this.reads = reads;
    this.maxRows = maxRows;
    this.maxModelDays = maxModelDays;
  }

  @Override
  public ApiResponse answer(ApiRequest request) throws ApiException, IOException {
    List<String> pathVariables = request.pathVariables();
    Map<String, String[]> params = request.params();
    String model = pathVariables.get(0);
    boolean compare = model.equals("compare");
    if (!compare && AttributionModel.fromLabel(model) == null) {
      throw new ApiException(404, "unknown attribution model '" + model + "' (models: "
          + String.join(", ", Arrays.stream(AttributionModel.values()).map(AttributionModel::label).toList())
          + ", or compare)");
    }
    RequestParams.only(params, Set.of("from", "to", "by"), "from, to, by");
    LocalDate from = RequestParams.day(params, "from");
    LocalDate to = RequestParams.day(params, "to");
    if (from.isAfter(to)) {
      throw new ApiException(400, "'from' must not be after 'to' (both days are included)");
    }
    long days = ChronoUnit.DAYS.between(from, to) + 1;
    int modelCount = compare ? AttributionModel.values().length : 1;
    if (days * modelCount > maxModelDays) {
      throw new ApiException(400, "the request covers " + days + " days of " + modelCount + " model(s), over the limit of "
          + maxModelDays + " days times models (lambda.serving.attribution.max-model-days)");
    }
    String[] byParam = params.get("by");
    String by = byParam == null ? "channel" : byParam[0];
    if (!by.equals("channel") && !by.equals("campaign")) {
      throw new ApiException(400, "'by' must be channel or campaign");
    }
    BatchPointer pointer = reads.state().pointer();
    List<AttributionModel> models = compare ? List.of(AttributionModel.values()) : List.of(AttributionModel.fromLabel(model));
    Map<String, List<AttributionRow>> byModel = new LinkedHashMap<>();
    int read = 0;
    for (AttributionModel m : models) {
      List<AttributionRow> rows = pointer == null ? List.of()
          : reads.attribution(pointer.version(), m.label(), from.toString(), to.toString(), maxRows + 1 - read);
      read += rows.size();
      if (read > maxRows) {
        throw new ApiException(400, "the answer would read more than " + maxRows + " attribution rows"
            + " (lambda.serving.attribution.max-rows): ask for fewer days or one model");
      }
      byModel.put(m.label(), CreditTable.regroup(rows, by.equals("campaign")));
    }
    return JsonBodies.ok(json -> {
      json.writeStartObject();
      if (!compare) {
        json.writeStringField("model", model);
      }
      json.writeStringField("from", from.toString());
      json.writeStringField("to", to.toString());
      json.writeStringField("by", by);
      if (compare) {
        json.writeObjectFieldStart("models");
        for (Map.Entry<String, List<AttributionRow>> e : byModel.entrySet()) {
          json.writeFieldName(e.getKey());
          writeRows(json, e.getValue(), by);
        }
        json.writeEndObject();
      } else {
        json.writeFieldName("rows");
        writeRows(json, byModel.get(model), by);
      }
      json.writeFieldName("coverage");
      JsonBodies.writeCoverage(json, pointer, List.of());
      json.writeEndObject();
    });
  }

  private static void writeRows(com.fasterxml.jackson.core.JsonGenerator json, List<AttributionRow> rows, String by)
      throws IOException {
    json.writeStartArray();
    for (AttributionRow r : rows) {
      json.writeStartObject();
      json.writeStringField("channel", r.channel());
      if (by.equals("campaign")) {
        json.writeStringField("campaign", r.campaign());
      }
      json.writeNumberField("conversions", r.conversions());
      json.writeNumberField("revenue", r.revenue());
      json.writeEndObject();
    }
    json.writeEndArray();
  }
}
