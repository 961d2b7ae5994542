package org.lambdadist.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.lambdadist.serving.metrics.ServingMetrics;

/** {@code GET /metrics}: Prometheus' text format, requests by route and status, the stack's state from meta. */
class MetricsEndpointTest {
  private final ApiFixture f = new ApiFixture();

  private String scrape() {
    ApiResponse r = f.get("/metrics");
    assertEquals(200, r.status());
    assertEquals(ServingMetrics.CONTENT_TYPE, r.contentType());
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private static double value(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    assertTrue(m.find(), series + " in\n" + text);
    return Double.parseDouble(m.group(1));
  }

  /** A reconciliation of one view with two differing rows. */
  static org.lambdadist.core.reconcile.ReconciliationReport reconciliation() {
    return new org.lambdadist.core.reconcile.ReconciliationReport("v9", java.util.List.of(8L, 9L),
        "2026-11-30T11:03:00Z", 812, 3.0, null, java.util.List.of(new org.lambdadist.core.reconcile.ViewReconciliation(
            "traffic", 4160, 2, 0, 0, 1L, 0L, java.util.List.of(
                new org.lambdadist.core.reconcile.MetricDifference("events", "count", 1, 0, 1.0),
                new org.lambdadist.core.reconcile.MetricDifference("users", "distinct", 1, 3, 3.5)))));
  }

  @Test
  void requestsAreCountedByRouteMethodAndStatusWithLatencyHistograms() {
    f.reads.serve("v1", 1, 3, ApiFixture.VIEWS);
    for (int i = 0; i < 3; i++) {
      assertEquals(200, f.get("/v1/views/traffic/minute?from=1&to=60001&campaign=a&channel=b").status());
    }
    assertEquals(400, f.get("/v1/views/traffic/minute?from=1&to=60001&campaign=a").status());
    assertEquals(404, f.get("/v1/nothing/here").status());
    String text = scrape();
    String lookup = "endpoint=\"/v1/views/{view}/{granularity}\",method=\"GET\"";
    assertEquals(3, value(text, "lambda_api_requests_seconds_count{" + lookup + ",status=\"200\"}"));
    assertEquals(1, value(text, "lambda_api_requests_seconds_count{" + lookup + ",status=\"400\"}"));
    assertEquals(1, value(text, "lambda_api_requests_seconds_count{endpoint=\"unmatched\",method=\"GET\",status=\"404\"}"));
    assertTrue(text.contains("lambda_api_requests_seconds_bucket{" + lookup + ",status=\"200\",le="), "a histogram");
    // The scrape itself is in flight while it renders; nothing else is.
    assertEquals(1, value(text, "lambda_api_requests_in_flight"));
    assertTrue(text.contains("jvm_memory_used_bytes"), "the JVM's own meters");
  }

  @Test
  void metricsAreOpenUnlessTheyAreToNeedTheToken() {
    ApiFixture open = new ApiFixture();
    open.settings.set("lambda.serving.auth.token", "s3cret");
    assertEquals(200, open.get("/metrics").status());
    assertEquals(401, open.get("/v1/views").status());
    ApiFixture guarded = new ApiFixture();
    guarded.settings.set("lambda.serving.auth.token", "s3cret");
    guarded.settings.setBoolean("lambda.serving.metrics.auth", true);
    assertEquals(401, guarded.get("/metrics").status());
    assertEquals(200, guarded.get("/metrics", "Bearer s3cret").status());
  }

  @Test
  void theStacksStateIsReadFromMeta() {
    f.reads.serve("v9", 4, 7, ApiFixture.VIEWS);
    f.reads.markRealtime(9);
    f.api().stackGauges().refresh();
    String text = scrape();
    assertEquals(1, value(text, "lambda_stack_meta_up"));
    assertEquals(4, value(text, "lambda_batch_first_epoch"));
    assertEquals(7, value(text, "lambda_batch_last_epoch"));
    assertEquals(9, value(text, "lambda_speed_realtime_max_epoch"));
    // loaded 2026-11-30T00:00:00Z, the clock says 12:00
    assertEquals(43_200, value(text, "lambda_batch_version_age_seconds"));
    f.reads.cycle = org.lambdadist.storage.hbase.CycleReport.started(java.time.Instant.parse("2026-11-30T11:00:00Z"))
        .withStep("archive", 1500).withStep("aggregate", 30_000).withAggregate(1, 2, "v9")
        .succeeded(java.time.Instant.parse("2026-11-30T11:02:00Z"), null);
    f.api().stackGauges().refresh();
    String cycled = scrape();
    assertEquals(1, value(cycled, "lambda_cycle_last_ok"));
    assertEquals(0, value(cycled, "lambda_cycle_running"));
    assertEquals(120, value(cycled, "lambda_cycle_last_duration_seconds"));
    assertEquals(30, value(cycled, "lambda_cycle_step_seconds{step=\"aggregate\"}"));
    assertEquals(1, value(cycled, "lambda_cycle_epochs_computed"));
    assertEquals(2, value(cycled, "lambda_cycle_epochs_reused"));
    f.reads.reconciliation = reconciliation();
    f.api().stackGauges().refresh();
    String reconciled = scrape();
    assertEquals(4160, value(reconciled, "lambda_reconcile_rows_compared{view=\"traffic\"}"));
    assertEquals(2, value(reconciled, "lambda_reconcile_rows_differing{view=\"traffic\"}"));
    assertEquals(1, value(reconciled, "lambda_reconcile_events_one_side{side=\"speed\",view=\"traffic\"}"));
    assertEquals(3.5, value(reconciled, "lambda_reconcile_largest_difference{metric=\"users\",view=\"traffic\"}"));
    assertEquals(1, value(reconciled, "lambda_reconcile_last_ok"));
    f.reads.failure = new java.io.IOException("away");
    f.api().stackGauges().refresh();
    String away = scrape();
    assertEquals(0, value(away, "lambda_stack_meta_up"));
    assertEquals(7, value(away, "lambda_batch_last_epoch"), "the last values are kept");
  }
}
