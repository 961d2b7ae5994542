package org.lambdadist.serving.http;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinition;

/**
 * What a lookup (one key or many) asks for before any key: a view, one of its granularities and
 * a range {@code [from, to)} of at most {@code lambda.serving.max-buckets} buckets. Each check
 * fails with the status and message both lookup endpoints give.
 */
record LookupTarget(ViewDefinition view, Granularity granularity, long from, long to) {
  /** The view and granularity, checked (404 when unknown); the range is set by {@link #within}. */
  static LookupTarget of(ViewCatalog catalog, String viewName, String granularityName) throws ApiException {
    ViewDefinition view = catalog.view(viewName);
    if (view == null) {
      throw new ApiException(404, "unknown view '" + viewName + "' (views: " + String.join(", ", catalog.names()) + ")");
    }
    Granularity g = Granularity.fromLabel(granularityName);
    if (g == null || !view.hasGranularity(g)) {
      throw new ApiException(404, "view '" + viewName + "' has no granularity '" + granularityName + "' (it has "
          + String.join(", ", view.granularities().stream().map(Granularity::label).toList()) + ")");
    }
    return new LookupTarget(view, g, 0, 0);
  }

  /** This target over {@code [from, to)}, checked (400 when empty or too many buckets). */
  LookupTarget within(long from, long to, int maxBuckets) throws ApiException {
    Granularity g = granularity;
    if (from >= to) {
      throw new ApiException(400, "'from' must be before 'to'");
    }
    long buckets = g.bucketsIn(from, to);
    if (buckets > maxBuckets) {
      throw new ApiException(400, "the range covers " + buckets + " " + g.label() + " buckets, over the limit of "
          + maxBuckets + " (" + LambdaKeys.SERVING_MAX_BUCKETS + ")");
    }
    return new LookupTarget(view, g, from, to);
  }

  /** The key object of an answer: each dimension with its value (null: the value was missing). */
  void writeKey(JsonGenerator json, List<String> dims) throws IOException {
    json.writeObjectFieldStart("key");
    for (int i = 0; i < dims.size(); i++) {
      json.writeStringField(view.dimensions().get(i), dims.get(i));
    }
    json.writeEndObject();
  }
}
