package org.lambdadist.serving.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinitionException;
import org.lambdadist.storage.hbase.BatchPointer;

/**
 * The views served: those of the served batch version (kept in meta with it, parsed once per
 * version), or, before the first load, those of {@code lambda.views.file}.
 */
final class ServedViews {
  private final ViewCatalog fallback;
  private final Map<String, ViewCatalog> byVersion = new ConcurrentHashMap<>();

  ServedViews(ViewCatalog fallback) {
    this.fallback = fallback;
  }

  ViewCatalog of(BatchPointer pointer) throws ApiException {
    if (pointer == null || pointer.viewsJson() == null) {
      if (fallback == null) {
        throw new ApiException(404, "no batch version is loaded yet and no views file is configured");
      }
      return fallback;
    }
    ViewCatalog c = byVersion.get(pointer.version());
    if (c == null) {
      try {
        c = ViewCatalog.parse(pointer.viewsJson(), "views of batch version " + pointer.version());
      } catch (ViewDefinitionException e) {
        throw new ApiException(503, "the served batch version's view definitions are invalid: " + e.getMessage(), e);
      }
      byVersion.put(pointer.version(), c);
    }
    return c;
  }
}
