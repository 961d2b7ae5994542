package org.lambdadist.serving.http;

import java.io.IOException;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.MetricDefinition;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinition;
import org.lambdadist.serving.read.ServingReads;
import org.lambdadist.storage.hbase.BatchPointer;

/** {@code GET /v1/views}: the views served and their schemas (dimensions, granularities, metrics). */
final class ViewsEndpoint implements Endpoint {
  private final ServingReads reads;
  private final ServedViews views;

  ViewsEndpoint(ServingReads reads, ServedViews views) {
    this.reads = reads;
    this.views = views;
  }

  @Override
  public ApiResponse answer(ApiRequest request) throws ApiException, IOException {
    BatchPointer pointer = reads.state().pointer();
    ViewCatalog catalog = views.of(pointer);
    return JsonBodies.ok(json -> {
      json.writeStartObject();
      json.writeStringField("batch_version", pointer == null ? null : pointer.version());
      json.writeArrayFieldStart("views");
      for (ViewDefinition v : catalog.views()) {
        json.writeStartObject();
        json.writeStringField("name", v.name());
        json.writeArrayFieldStart("dimensions");
        for (String d : v.dimensions()) {
          json.writeString(d);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("granularities");
        for (Granularity g : v.granularities()) {
          json.writeString(g.label());
        }
        json.writeEndArray();
        json.writeArrayFieldStart("metrics");
        for (MetricDefinition m : v.metrics()) {
          json.writeStartObject();
          json.writeStringField("name", m.name());
          json.writeStringField("type", m.type().label());
          json.writeStringField("field", m.field());
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }
}
