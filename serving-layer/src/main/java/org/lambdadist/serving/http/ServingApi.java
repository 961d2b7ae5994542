package org.lambdadist.serving.http;

import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.serving.metrics.ServingMetrics;
import org.lambdadist.serving.metrics.StackGauges;
import org.lambdadist.serving.read.HBaseServingReads;
import org.lambdadist.serving.read.ServingReads;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * The API, apart from HTTP: the routes of docs/api.md, each to its endpoint class, over a
 * {@link ServingReads}. Adding an endpoint is one class and one route line here. Every request
 * but {@code /v1/health} goes through the {@link RequestGate} (bounded concurrency, a deadline);
 * every answer carries a request id that the server log repeats.
 *
 * <p>The views served are those of the served batch version (kept in meta with it), or, before
 * the first load, those of {@code lambda.views.file}.
 */
public final class ServingApi implements Closeable {
  private final ServingReads reads;
  private final ApiRouter router;
  private final RequestGate gate;
  private final String idPrefix;
  private final AtomicLong requests = new AtomicLong();
  private final ServingMetrics metrics;
  private final StackGauges stackGauges;

  /** The API on the HBase of these settings. */
  public ServingApi(Configuration settings, ViewCatalog fallbackViews, Clock clock) {
    this(settings, fallbackViews, clock, new ServingMetrics(settings.getBoolean(LambdaKeys.SERVING_METRICS_JMX, true)));
  }

  private ServingApi(Configuration settings, ViewCatalog fallbackViews, Clock clock, ServingMetrics metrics) {
    this(new HBaseServingReads(settings, clock, metrics), settings, fallbackViews, clock, metrics,
        settings.getBoolean(LambdaKeys.SERVING_METRICS_KAFKA_LAG, true) ? settings : null);
  }

  /** The API over any reads (an in-memory one in unit tests), its meters published to Prometheus' format only. */
  public ServingApi(ServingReads reads, Configuration settings, ViewCatalog fallbackViews, Clock clock) {
    this(reads, settings, fallbackViews, clock, new ServingMetrics(false), null);
  }

  private ServingApi(ServingReads reads, Configuration settings, ViewCatalog fallbackViews, Clock clock,
                     ServingMetrics metrics, Configuration kafkaSettings) {
    this.reads = reads;
    this.metrics = metrics;
    this.stackGauges = new StackGauges(reads, clock, metrics.registry(),
        LambdaSettings.getLong(settings, LambdaKeys.SERVING_METRICS_STACK_REFRESH_MS), kafkaSettings);
    ServedViews views = new ServedViews(fallbackViews);
    this.router = new ApiRouter(settings.getTrimmed(LambdaKeys.SERVING_AUTH_TOKEN, ""))
        .route("GET", "/v1/views", new ViewsEndpoint(reads, views))
        .route("GET", "/v1/views/{view}/{granularity}", new LookupEndpoint(reads, views,
            LambdaSettings.getInt(settings, LambdaKeys.SERVING_MAX_BUCKETS), LambdaSettings.eventLimits(settings)))
        .route("POST", "/v1/views/{view}/{granularity}/lookup", new MultiLookupEndpoint(reads, views,
            LambdaSettings.getInt(settings, LambdaKeys.SERVING_MAX_BUCKETS),
            LambdaSettings.getInt(settings, LambdaKeys.SERVING_LOOKUP_MAX_KEYS),
            LambdaSettings.getInt(settings, LambdaKeys.SERVING_LOOKUP_MAX_ROWS), LambdaSettings.eventLimits(settings)))
        .route("GET", "/v1/attribution/{model}", new AttributionEndpoint(reads,
            LambdaSettings.getInt(settings, LambdaKeys.SERVING_ATTRIBUTION_MAX_ROWS),
            LambdaSettings.getInt(settings, LambdaKeys.SERVING_ATTRIBUTION_MAX_MODEL_DAYS)))
        .route("GET", "/v1/status", new StatusEndpoint(reads, clock, stackGauges))
        .openRoute("/v1/health", new HealthEndpoint())
        .openRoute("/v1/openapi.json", StaticFile.of("org/lambdadist/serving/openapi.json"))
        .route("GET", "/metrics", request -> ApiResponse.of(200, ServingMetrics.CONTENT_TYPE, metrics.scrape(), Map.of()),
            !settings.getBoolean(LambdaKeys.SERVING_METRICS_AUTH, false))
        .openRoute("/", StaticFile.page("dashboard.html"))
        .openRoute("/ui/dashboard.js", StaticFile.page("dashboard.js"))
        .openRoute("/ui/dashboard.css", StaticFile.page("dashboard.css"))
        .openRoute("/api", StaticFile.page("api.html"))
        .openRoute("/ui/api.js", StaticFile.page("api.js"))
        .openRoute("/ui/vendor/uPlot.min.js", StaticFile.webjar("org.webjars.npm", "uplot", "dist/uPlot.iife.min.js"))
        .openRoute("/ui/vendor/uPlot.min.css", StaticFile.webjar("org.webjars.npm", "uplot", "dist/uPlot.min.css"))
        .openRoute("/ui/vendor/swagger-ui-bundle.js",
            StaticFile.webjar("org.webjars", "swagger-ui", "swagger-ui-bundle.js"))
        .openRoute("/ui/vendor/swagger-ui.css", StaticFile.webjar("org.webjars", "swagger-ui", "swagger-ui.css"));
    this.gate = new RequestGate(LambdaSettings.getInt(settings, LambdaKeys.SERVING_MAX_CONCURRENT),
        LambdaSettings.getInt(settings, LambdaKeys.SERVING_DEADLINE_MS));
    this.idPrefix = Long.toString(clock.millis() % 1_000_000_000L, 36) + "-";
  }

  /** Answers one GET; {@code authorization} is the Authorization header or null. */
  public ApiResponse get(String path, Map<String, String[]> params, String authorization) {
    return handle("GET", path, params, null, authorization);
  }

  /** Answers one POST with its body (already capped by the server). */
  public ApiResponse post(String path, Map<String, String[]> params, byte[] body, String authorization) {
    return handle("POST", path, params, body, authorization);
  }

  /** Answers one request of any method (a method no route serves is a 405), waited for. */
  public ApiResponse handle(String method, String path, Map<String, String[]> params, byte[] body,
                            String authorization) {
    ApiResponse[] answer = new ApiResponse[1];
    Consumer<ApiResponse> measured = measured(method, path, a -> answer[0] = a);
    String requestId = idPrefix + requests.incrementAndGet();
    if (router.isOpen(method, path)) {
      measured.accept(router.handle(method, path, params, body, authorization, requestId));
    } else {
      measured.accept(gate.run(() -> router.handle(method, path, params, body, authorization, requestId), requestId));
    }
    return answer[0];
  }

  /**
   * Answers one request on the calling thread (the HTTP server's): {@code reply} gets exactly
   * one answer, possibly from another thread (a 503 at the deadline) and possibly before this
   * returns, which is when the work has ended.
   */
  public void handle(String method, String path, Map<String, String[]> params, byte[] body, String authorization,
                     Consumer<ApiResponse> reply) {
    Consumer<ApiResponse> measured = measured(method, path, reply);
    String requestId = idPrefix + requests.incrementAndGet();
    if (router.isOpen(method, path)) {
      measured.accept(router.handle(method, path, params, body, authorization, requestId));
      return;
    }
    gate.run(() -> router.handle(method, path, params, body, authorization, requestId), requestId, measured);
  }

  /** {@code reply}, counting the request in flight until it is called, then timing it by route and status. */
  private Consumer<ApiResponse> measured(String method, String path, Consumer<ApiResponse> reply) {
    long start = System.nanoTime();
    metrics.received();
    return answer -> {
      metrics.answered(router.routeOf(path), method, answer.status(), System.nanoTime() - start);
      reply.accept(answer);
    };
  }

  /** Every route as {@code METHOD pattern}. */
  java.util.List<String> routes() {
    return router.routes();
  }

  /**
   * Counts a request the HTTP server refused before it reached the API (a method not served, a
   * bad query string, a body too large or too slow) under its route, as answered requests are.
   */
  public void countRefused(String method, String path, int status, long nanos) {
    metrics.refused(router.routeOf(path), method, status, nanos);
  }

  /** The meters this API records (also served at {@code GET /metrics}). */
  public ServingMetrics metrics() {
    return metrics;
  }

  /** The gauges of the stack's state, read from meta in the background. */
  public StackGauges stackGauges() {
    return stackGauges;
  }

  /** The longest a request may take ({@code lambda.serving.deadline-ms}); a body must arrive within it too. */
  public long deadlineMillis() {
    return gate.deadlineMillis();
  }

  /** The JSON error answer every failure gets. */
  public static ApiResponse error(int status, String message) {
    return JsonBodies.error(status, message);
  }

  @Override
  public void close() throws IOException {
    gate.close();
    stackGauges.close();
    reads.close();
    metrics.close();
  }
}
