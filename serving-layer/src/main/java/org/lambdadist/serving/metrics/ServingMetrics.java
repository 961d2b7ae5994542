package org.lambdadist.serving.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The serving process's meters, in one registry that publishes to Prometheus' text format
 * ({@link #scrape()}, served at {@code GET /metrics}) and, when asked, to JMX (domain
 * {@code lambda}). The families:
 * <ul>
 *   <li>{@code lambda_api_requests_seconds} (histogram) by {@code endpoint} (the route, such as
 *       {@code /v1/views/{view}/{granularity}}), {@code method} and {@code status};</li>
 *   <li>{@code lambda_api_requests_in_flight}: requests received and not yet answered;</li>
 *   <li>{@code lambda_api_store_reads_seconds} (histogram) by {@code table} ({@code batch},
 *       {@code realtime}) and {@code outcome};</li>
 *   <li>{@code cache_*{cache="batch_rows"}}: the batch-row cache's hits, misses, evictions, size;</li>
 *   <li>the stack's state from meta ({@link StackGauges}) and the JVM's own.</li>
 * </ul>
 * Meters are cached by their tags, so recording a request costs a map lookup, not a registration.
 */
public final class ServingMetrics implements AutoCloseable {
  /** The content type of {@link #scrape()}: Prometheus' text format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry prometheus;
  private final JmxMeterRegistry jmx;
  private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
  private final ConcurrentMap<RequestKey, Timer> requestTimers = new ConcurrentHashMap<>();
  private final ConcurrentMap<ReadKey, Timer> readTimers = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final JvmGcMetrics gc = new JvmGcMetrics();

  /** A request timer's tags, as a map key (no string built per request). */
  private record RequestKey(String endpoint, String method, int status) {}

  /** A store-read timer's tags, as a map key. */
  private record ReadKey(String table, String outcome) {}

  /** Meters published to Prometheus' format, and to JMX when {@code withJmx}. */
  public ServingMetrics(boolean withJmx) {
    this.prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.add(prometheus);
    if (withJmx) {
      this.jmx = new JmxMeterRegistry(new JmxConfig() {
        @Override
        public String get(String key) {
          return null;
        }

        @Override
        public String domain() {
          return "lambda";
        }
      }, Clock.SYSTEM);
      registry.add(jmx);
    } else {
      this.jmx = null;
    }
    registry.gauge("lambda.api.requests.in.flight", inFlight);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** The registry, for meters others bind (the cache, the stack's gauges). */
  public MeterRegistry registry() {
    return registry;
  }

  /** Every meter in Prometheus' text format (version 0.0.4), as UTF-8. */
  public byte[] scrape() {
    return prometheus.scrape().getBytes(StandardCharsets.UTF_8);
  }

  /** A request was received: it is in flight until {@link #answered}. */
  public void received() {
    inFlight.incrementAndGet();
  }

  /** A request received was answered with {@code status}, {@code nanos} after it was received. */
  public void answered(String endpoint, String method, int status, long nanos) {
    inFlight.decrementAndGet();
    refused(endpoint, method, status, nanos);
  }

  /**
   * A request answered without being {@link #received} (refused by the HTTP server). A method
   * other than GET or POST is labelled {@code other}: labels never take a client's word.
   */
  public void refused(String endpoint, String requestMethod, int status, long nanos) {
    String method = "GET".equals(requestMethod) || "POST".equals(requestMethod) ? requestMethod : "other";
    RequestKey key = new RequestKey(endpoint, method, status);
    Timer timer = requestTimers.get(key);
    if (timer == null) {
      timer = requestTimers.computeIfAbsent(key, k -> histogram(Timer.builder("lambda.api.requests")
          .description("API requests answered, by route, method and status")
          .tag("endpoint", endpoint).tag("method", method).tag("status", Integer.toString(status))));
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One read of an HBase table for a lookup ({@code table}: batch or realtime), and how it ended. */
  public void storeRead(String table, String outcome, long nanos) {
    ReadKey key = new ReadKey(table, outcome);
    Timer timer = readTimers.get(key);
    if (timer == null) {
      timer = readTimers.computeIfAbsent(key, k -> histogram(Timer.builder("lambda.api.store.reads")
          .description("Scans of HBase for lookups, by table (batch: the served version; realtime) and outcome")
          .tag("table", table).tag("outcome", outcome)));
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer histogram(Timer.Builder builder) {
    return builder.publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
    if (jmx != null) {
      jmx.close();
    }
    prometheus.close();
  }
}
