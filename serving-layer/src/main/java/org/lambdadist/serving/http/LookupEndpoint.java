package org.lambdadist.serving.http;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.event.EventLimits;
import org.lambdadist.core.render.ViewRowWriter;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewDefinition;
import org.lambdadist.serving.read.ServingReads;
import org.lambdadist.storage.hbase.SeriesRead;
import org.lambdadist.storage.hbase.ServingState;

/**
 * {@code GET /v1/views/{view}/{granularity}?from=&to=&{dimension}=value…}: one key's buckets in
 * {@code [from, to)}, batch and realtime merged exactly, empty buckets left out, with the
 * coverage of the answer; with {@code parts=true} each row also says which part of it the
 * realtime cells hold ({@code realtime}). Every dimension must be given (a key lookup) and the range may cover
 * at most {@code lambda.serving.max-buckets} buckets, so no lookup scans beyond one key's range.
 */
final class LookupEndpoint implements Endpoint {
  private final ServingReads reads;
  private final ServedViews views;
  private final int maxBuckets;
  private final EventLimits limits;

  LookupEndpoint(ServingReads reads, ServedViews views, int maxBuckets, EventLimits limits) {
    this.reads = reads;
    this.views = views;
    this.maxBuckets = maxBuckets;
    this.limits = limits;
  }

  @Override
  public ApiResponse answer(ApiRequest request) throws ApiException, IOException {
    List<String> pathVariables = request.pathVariables();
    Map<String, String[]> params = request.params();
    ServingState state = reads.state();
    LookupTarget target = LookupTarget.of(views.of(state.pointer()), pathVariables.get(0), pathVariables.get(1))
        .within(RequestParams.time(params, "from"), RequestParams.time(params, "to"), maxBuckets);
    ViewDefinition view = target.view();
    Granularity g = target.granularity();
    long from = target.from();
    long to = target.to();
    // A view with a dimension named "parts" keeps it as a dimension: it then has no split rows.
    boolean parts = !view.dimensions().contains("parts") && RequestParams.flag(params, "parts");
    List<String> dims = RequestParams.dimensions(view, params, limits);
    SeriesRead read = reads.series(state, view, dims, g, from, to, maxBuckets, parts);
    return JsonBodies.ok(json -> {
      json.writeStartObject();
      json.writeStringField("view", view.name());
      json.writeStringField("granularity", g.label());
      target.writeKey(json, dims);
      json.writeStringField("from", Granularity.formatInstant(from));
      json.writeStringField("to", Granularity.formatInstant(to));
      json.writeArrayFieldStart("rows");
      ViewRowWriter.RowObjects rows = new ViewRowWriter.RowObjects(view);
      for (Map.Entry<Long, RowAggregate> row : read.rows().entrySet()) {
        rows.write(json, dims, g, row.getKey(), row.getValue(), parts ? read.realtimePart().get(row.getKey()) : null, parts);
      }
      json.writeEndArray();
      json.writeFieldName("coverage");
      JsonBodies.writeCoverage(json, read.pointer(), read.speedEpochs());
      json.writeEndObject();
    });
  }
}
