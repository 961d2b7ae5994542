package org.lambdadist.serving.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.Closeable;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.epoch.EpochChain;
import org.lambdadist.core.epoch.MicroBatchLedger;
import org.lambdadist.core.event.Timestamps;
import org.lambdadist.core.render.ViewRow;
import org.lambdadist.core.render.ViewRowWriter;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.MetricDefinition;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinition;
import org.lambdadist.core.view.ViewDefinitionException;
import org.lambdadist.core.view.ViewKey;
import org.lambdadist.core.attribution.AttributionModel;
import org.lambdadist.core.render.AttributionRow;
import org.lambdadist.storage.hbase.AttributionStore;
import org.lambdadist.storage.hbase.BatchPointer;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.storage.hbase.EpochStore;
import org.lambdadist.storage.hbase.MetaStore;
import org.lambdadist.storage.hbase.SeriesRead;
import org.lambdadist.storage.hbase.ServingState;
import org.lambdadist.storage.hbase.ViewStore;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * The API's logic, apart from HTTP: routes a GET to a lookup, the view list or the status, and
 * answers JSON. Every HBase read runs on a bounded pool with a timeout
 * ({@code lambda.serving.hbase-timeout-ms}); an unreachable HBase is a 503, and the HBase
 * connection is made again on a later request, so the service recovers by itself.
 *
 * <p>The views served are those of the served batch version (kept in meta with it), or, before
 * the first load, those of {@code lambda.views.file}.
 */
public final class ServingApi implements Closeable {
  private static final JsonFactory JSON = new JsonFactory();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServingApi.class);

  private final Configuration conf;
  /** The bounds events meet: a lookup for a value no event can have is a bad request, not a scan. */
  private final org.lambdadist.core.event.EventLimits limits;
  private final HBaseSchema schema;
  private final int maxBuckets;
  private final long timeoutMillis;
  private final byte[] token;
  private final ViewCatalog fallbackViews;
  private final Clock clock;
  private final Instant started;
  private final ThreadPoolExecutor pool;
  private final Map<String, ViewCatalog> viewsByVersion = new ConcurrentHashMap<>();
  private final long metaCacheMillis;
  private volatile Connection connection;
  private volatile ServingState cachedState;
  private volatile long cachedAt;
  private volatile boolean refreshFailing;
  private final java.util.concurrent.ScheduledExecutorService refresher;

  public ServingApi(Configuration settings, ViewCatalog fallbackViews, Clock clock) {
    this.conf = new Configuration(settings);
    this.schema = new HBaseSchema(conf);
    this.maxBuckets = LambdaSettings.getInt(conf, LambdaKeys.SERVING_MAX_BUCKETS);
    this.limits = org.lambdadist.core.event.EventLimits.fromSettings(conf::get);
    this.timeoutMillis = LambdaSettings.getInt(conf, LambdaKeys.SERVING_HBASE_TIMEOUT_MS);
    // Lookups read HBase on the request thread: the client's own timeouts must end within ours.
    for (String key : new String[] {"hbase.client.operation.timeout", "hbase.client.scanner.timeout.period",
        "hbase.client.meta.operation.timeout"}) {
      conf.setLong(key, Math.min(conf.getLong(key, Long.MAX_VALUE), Math.max(500, timeoutMillis - 200)));
    }
    String t = conf.getTrimmed(LambdaKeys.SERVING_AUTH_TOKEN, "");
    this.token = t.isEmpty() ? null : t.getBytes(StandardCharsets.UTF_8);
    this.fallbackViews = fallbackViews;
    this.clock = clock;
    this.started = clock.instant();
    this.metaCacheMillis = LambdaSettings.getInt(conf, LambdaKeys.SERVING_META_CACHE_MS);
    this.pool = new ThreadPoolExecutor(64, 64, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
      Thread thread = new Thread(r, "hbase-read");
      thread.setDaemon(true);
      return thread;
    });
    pool.allowCoreThreadTimeOut(true);
    refresher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "meta-refresh");
      thread.setDaemon(true);
      return thread;
    });
    refresher.scheduleWithFixedDelay(this::refresh, metaCacheMillis, metaCacheMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * The meta state. A background thread rereads it every {@code lambda.serving.meta-cache-ms},
   * so lookups do not wait for meta; when that state is older than four periods (HBase away),
   * the lookup reads meta itself, bounded like every read. A lookup uses one state throughout,
   * so it always reads one whole batch version; a flip is seen within about one period.
   */
  private ServingState state() throws ApiException {
    ServingState s = cachedState;
    if (s != null && clock.millis() - cachedAt < 4 * metaCacheMillis) {
      return s;
    }
    s = hbase(() -> new MetaStore(connection(), schema).readState());
    cachedState = s;
    cachedAt = clock.millis();
    return s;
  }

  private void refresh() {
    try {
      ServingState s = new MetaStore(connection(), schema).readState();
      cachedState = s;
      cachedAt = clock.millis();
      refreshFailing = false;
    } catch (IOException | RuntimeException e) {
      if (!refreshFailing) { // once per outage, not every period
        LOG.warn("cannot read the served version from HBase meta; lookups read it themselves until it works: {}",
            e.toString());
      }
      refreshFailing = true;
    }
  }

  /** Answers one GET; {@code authorization} is the Authorization header or null. */
  public ApiResponse get(String path, Map<String, String[]> params, String authorization) {
    try {
      authorize(authorization);
      List<String> parts = new ArrayList<>();
      for (String p : path.split("/")) {
        if (!p.isEmpty()) {
          parts.add(p);
        }
      }
      if (parts.size() >= 2 && parts.get(0).equals("v1")) {
        if (parts.size() == 2 && parts.get(1).equals("views")) {
          return new ApiResponse(200, viewsJson());
        }
        if (parts.size() == 2 && parts.get(1).equals("status")) {
          return status();
        }
        if (parts.size() == 4 && parts.get(1).equals("views")) {
          return new ApiResponse(200, lookup(parts.get(2), parts.get(3), params));
        }
        if (parts.size() == 3 && parts.get(1).equals("attribution")) {
          return new ApiResponse(200, attribution(parts.get(2), params));
        }
      }
      throw new ApiException(404, "no such endpoint: " + path
          + " (try /v1/views, /v1/views/{view}/{granularity}, /v1/attribution/{model}, /v1/status)");
    } catch (ApiException e) {
      return error(e.status(), e.getMessage());
    }
  }

  private void authorize(String authorization) throws ApiException {
    if (token == null) {
      return;
    }
    byte[] given = authorization != null && authorization.startsWith("Bearer ")
        ? authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
    if (!MessageDigest.isEqual(token, given)) {
      throw new ApiException(401, "missing or wrong bearer token (Authorization: Bearer TOKEN)");
    }
  }

  static ApiResponse error(int status, String message) {
    return new ApiResponse(status, render(json -> {
      json.writeStartObject();
      json.writeStringField("error", message);
      json.writeEndObject();
    }));
  }

  private String lookup(String viewName, String granularityName, Map<String, String[]> params) throws ApiException {
    ServingState state = state();
    ViewCatalog catalog = views(state.pointer());
    ViewDefinition view = catalog.view(viewName);
    if (view == null) {
      throw new ApiException(404, "unknown view '" + viewName + "' (views: " + String.join(", ", catalog.names()) + ")");
    }
    Granularity g = Granularity.fromLabel(granularityName);
    if (g == null || !view.hasGranularity(g)) {
      throw new ApiException(404, "view '" + viewName + "' has no granularity '" + granularityName + "' (it has "
          + String.join(", ", view.granularities().stream().map(Granularity::label).toList()) + ")");
    }
    long from = time(params, "from");
    long to = time(params, "to");
    if (from >= to) {
      throw new ApiException(400, "'from' must be before 'to'");
    }
    long firstBucket = g.isBucketStart(from) ? from : g.bucketStart(from) + g.sizeMillis();
    long buckets = to <= firstBucket ? 0 : (to - firstBucket + g.sizeMillis() - 1) / g.sizeMillis();
    if (buckets > maxBuckets) {
      throw new ApiException(400, "the range covers " + buckets + " " + g.label() + " buckets, over the limit of "
          + maxBuckets + " (" + LambdaKeys.SERVING_MAX_BUCKETS + ")");
    }
    List<String> dims = dimensions(view, params);
    for (int i = 0; i < dims.size(); i++) {
      String d = dims.get(i);
      if (d != null && org.lambdadist.core.event.Utf8.encodedLength(d) > limits.maxValueBytes()) {
        throw new ApiException(400, "dimension '" + view.dimensions().get(i) + "' is longer than "
            + limits.maxValueBytes() + " bytes (lambda.event.max-value-bytes): no event has such a value");
      }
    }
    SeriesRead read = direct(() -> new ViewStore(connection(), schema).read(state, view, dims, g, from, to, maxBuckets));
    return render(json -> {
      json.writeStartObject();
      json.writeStringField("view", view.name());
      json.writeStringField("granularity", g.label());
      json.writeObjectFieldStart("key");
      for (int i = 0; i < dims.size(); i++) {
        json.writeStringField(view.dimensions().get(i), dims.get(i));
      }
      json.writeEndObject();
      json.writeStringField("from", Granularity.formatInstant(from));
      json.writeStringField("to", Granularity.formatInstant(to));
      json.writeArrayFieldStart("rows");
      for (Map.Entry<Long, RowAggregate> row : read.rows().entrySet()) {
        ViewRowWriter.writeRowObject(json, view,
            new ViewRow(new ViewKey(view.name(), dims, g, row.getKey()), row.getValue()));
      }
      json.writeEndArray();
      json.writeFieldName("coverage");
      writeCoverage(json, read.pointer(), read.speedEpochs());
      json.writeEndObject();
    });
  }

  /** Longest day range an attribution request may cover. */
  private static final int MAX_ATTRIBUTION_DAYS = 3_660;

  /**
   * {@code /v1/attribution/{model}?from=DAY&to=DAY&by=channel|campaign} (days inclusive), or
   * {@code /v1/attribution/compare?…} for every model side by side. Rows sum the credited
   * conversions and revenue per channel, or per (channel, campaign) with {@code by=campaign}.
   */
  private String attribution(String model, Map<String, String[]> params) throws ApiException {
    boolean compare = model.equals("compare");
    if (!compare && AttributionModel.fromLabel(model) == null) {
      throw new ApiException(404, "unknown attribution model '" + model + "' (models: "
          + String.join(", ", java.util.Arrays.stream(AttributionModel.values()).map(AttributionModel::label).toList())
          + ", or compare)");
    }
    for (String name : params.keySet()) {
      if (!name.equals("from") && !name.equals("to") && !name.equals("by")) {
        throw new ApiException(400, "unknown parameter '" + name + "' (from, to, by)");
      }
    }
    java.time.LocalDate from = day(params, "from");
    java.time.LocalDate to = day(params, "to");
    if (from.isAfter(to)) {
      throw new ApiException(400, "'from' must not be after 'to' (both days are included)");
    }
    if (java.time.temporal.ChronoUnit.DAYS.between(from, to) >= MAX_ATTRIBUTION_DAYS) {
      throw new ApiException(400, "the range covers more than " + MAX_ATTRIBUTION_DAYS + " days");
    }
    String[] byParam = params.get("by");
    String by = byParam == null ? "channel" : byParam[0];
    if (!by.equals("channel") && !by.equals("campaign")) {
      throw new ApiException(400, "'by' must be channel or campaign");
    }
    ServingState state = state();
    BatchPointer pointer = state.pointer();
    List<AttributionModel> models = compare ? List.of(AttributionModel.values()) : List.of(AttributionModel.fromLabel(model));
    Map<String, List<AttributionRow>> byModel = new java.util.LinkedHashMap<>();
    for (AttributionModel m : models) {
      List<AttributionRow> rows = pointer == null ? List.of() : direct(() -> new AttributionStore(connection(), schema)
          .read(pointer.version(), m.label(), from.toString(), to.toString()));
      byModel.put(m.label(), group(rows, by.equals("campaign")));
    }
    return render(json -> {
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
          writeAttributionRows(json, e.getValue(), by);
        }
        json.writeEndObject();
      } else {
        json.writeFieldName("rows");
        writeAttributionRows(json, byModel.get(model), by);
      }
      json.writeFieldName("coverage");
      writeCoverage(json, pointer, List.of());
      json.writeEndObject();
    });
  }

  /** Sums rows over days, per channel or per (channel, campaign), in that order. */
  private static List<AttributionRow> group(List<AttributionRow> rows, boolean byCampaign) {
    Map<List<String>, double[]> sums = new java.util.TreeMap<>((a, b) -> {
      int c = a.get(0).compareTo(b.get(0));
      return c != 0 ? c : java.util.Comparator.nullsFirst(java.util.Comparator.<String>naturalOrder()).compare(a.get(1), b.get(1));
    });
    for (AttributionRow r : rows) {
      double[] s = sums.computeIfAbsent(java.util.Arrays.asList(r.channel(), byCampaign ? r.campaign() : null),
          k -> new double[2]);
      s[0] += r.conversions();
      s[1] += r.revenue();
    }
    List<AttributionRow> grouped = new ArrayList<>();
    sums.forEach((k, s) -> grouped.add(new AttributionRow(null, null, k.get(0), k.get(1), s[0], s[1])));
    return grouped;
  }

  private static void writeAttributionRows(JsonGenerator json, List<AttributionRow> rows, String by) throws IOException {
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

  private static java.time.LocalDate day(Map<String, String[]> params, String name) throws ApiException {
    String[] v = params.get(name);
    if (v == null || v.length != 1) {
      throw new ApiException(400, "'" + name + "' is required once: a day, YYYY-MM-DD");
    }
    try {
      return java.time.LocalDate.parse(v[0]);
    } catch (java.time.format.DateTimeParseException e) {
      throw new ApiException(400, "'" + name + "' is not a day (YYYY-MM-DD): " + v[0], e);
    }
  }

  private static void writeCoverage(JsonGenerator json, BatchPointer p, List<Long> speedEpochs) throws IOException {
    json.writeStartObject();
    json.writeStringField("batch_version", p == null ? null : p.version());
    if (p == null) {
      json.writeNullField("batch_epochs");
    } else {
      json.writeObjectFieldStart("batch_epochs");
      json.writeNumberField("first", p.firstEpoch());
      json.writeNumberField("last", p.lastEpoch());
      json.writeEndObject();
    }
    json.writeStringField("batch_loaded_at", p == null ? null : p.loadedAt());
    json.writeArrayFieldStart("speed_epochs");
    for (long e : speedEpochs) {
      json.writeNumber(e);
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  /** Every dimension of the view, exactly once; {@code null=DIM} asks for a missing value. */
  private static List<String> dimensions(ViewDefinition view, Map<String, String[]> params) throws ApiException {
    List<String> nulls = params.containsKey("null") ? List.of(params.get("null")) : List.of();
    for (String name : params.keySet()) {
      if (!name.equals("from") && !name.equals("to") && !name.equals("null") && !view.dimensions().contains(name)) {
        throw new ApiException(400, "unknown dimension '" + name + "' (view '" + view.name() + "' has "
            + String.join(", ", view.dimensions()) + ")");
      }
    }
    for (String n : nulls) {
      if (!view.dimensions().contains(n)) {
        throw new ApiException(400, "unknown dimension '" + n + "' in null= (view '" + view.name() + "' has "
            + String.join(", ", view.dimensions()) + ")");
      }
    }
    List<String> values = new ArrayList<>();
    for (String d : view.dimensions()) {
      String[] v = params.get(d);
      boolean isNull = nulls.contains(d);
      if ((v == null || v.length == 0) && !isNull) {
        throw new ApiException(400, "missing dimension '" + d + "' (a lookup gives every dimension: "
            + String.join(", ", view.dimensions()) + "; null=" + d + " for a missing value)");
      }
      if ((v != null && v.length > 1) || (v != null && isNull)) {
        throw new ApiException(400, "dimension '" + d + "' given more than once");
      }
      values.add(isNull ? null : v[0]);
    }
    return values;
  }

  private static long time(Map<String, String[]> params, String name) throws ApiException {
    String[] v = params.get(name);
    if (v == null || v.length != 1 || v[0].isEmpty()) {
      throw new ApiException(400, "'" + name + "' is required once: an ISO-8601 instant or epoch millis");
    }
    long t = Timestamps.parseText(v[0]);
    if (t == Long.MIN_VALUE) {
      throw new ApiException(400, "'" + name + "' is not an ISO-8601 instant with zone or epoch millis: " + v[0]);
    }
    if (t < Timestamps.MIN_SUPPORTED || t > Timestamps.MAX_SUPPORTED) {
      throw new ApiException(400, "'" + name + "' is outside the times events can have: " + v[0]);
    }
    return t;
  }

  private String viewsJson() throws ApiException {
    BatchPointer pointer = state().pointer();
    ViewCatalog catalog = views(pointer);
    return render(json -> {
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

  private ApiResponse status() {
    BatchPointer pointer = null;
    String hbaseError = null;
    EpochChain chain = null;
    EpochStore.SpeedProgress speed = EpochStore.SpeedProgress.NONE;
    long maxEpoch = -1;
    try {
      ServingState fresh = hbase(() -> new MetaStore(connection(), schema).readState());
      cachedState = fresh;
      cachedAt = clock.millis();
      pointer = fresh.pointer();
      maxEpoch = fresh.realtimeMaxEpoch();
      chain = hbase(() -> new EpochStore(connection(), schema).readChain());
      speed = hbase(() -> new EpochStore(connection(), schema).readProgress());
    } catch (ApiException e) {
      hbaseError = e.getMessage();
    }
    BatchPointer p = pointer;
    String error = hbaseError;
    EpochChain c = chain;
    EpochStore.SpeedProgress sp = speed;
    long marked = maxEpoch;
    long now = clock.millis();
    String body = render(json -> {
      json.writeStartObject();
      json.writeStringField("status", error == null ? "ok" : "unavailable");
      json.writeStringField("hbase", error == null ? "up" : error);
      json.writeNumberField("uptime_seconds", (clock.millis() - started.toEpochMilli()) / 1000);
      json.writeObjectFieldStart("batch");
      json.writeStringField("version", p == null ? null : p.version());
      json.writeNumberField("first_epoch", p == null ? -1 : p.firstEpoch());
      json.writeNumberField("last_epoch", p == null ? -1 : p.lastEpoch());
      json.writeStringField("loaded_at", p == null ? null : p.loadedAt());
      json.writeStringField("previous_version", p == null ? null : p.previousVersion());
      json.writeEndObject();
      json.writeObjectFieldStart("epochs");
      json.writeNumberField("first", c == null ? -1 : c.first());
      json.writeNumberField("last_closed", c == null ? -1 : c.lastClosed());
      json.writeNumberField("open", c == null ? -1 : c.openEpoch());
      json.writeStringField("open_since", c == null ? null : Instant.ofEpochMilli(c.openSinceMillis()).toString());
      json.writeStringField("open_from_offsets", c == null ? null : c.openStart().toString());
      json.writeEndObject();
      json.writeObjectFieldStart("speed");
      MicroBatchLedger.Batch done = sp.ledger().committed();
      json.writeStringField("committed_offsets", done == null ? null : done.until().toString());
      json.writeNumberField("micro_batches", done == null ? 0 : done.sequence());
      json.writeStringField("last_progress", sp.committedAtMillis() < 0 ? null : Instant.ofEpochMilli(sp.committedAtMillis()).toString());
      json.writeNumberField("seconds_since_progress", sp.committedAtMillis() < 0 ? -1 : (now - sp.committedAtMillis()) / 1000);
      json.writeNumberField("realtime_max_epoch", marked);
      json.writeNumberField("accepted", sp.accepted());
      json.writeNumberField("rejected", sp.rejected());
      json.writeNumberField("duplicates", sp.duplicates());
      json.writeEndObject();
      json.writeEndObject();
    });
    return new ApiResponse(error == null ? 200 : 503, body);
  }

  private ViewCatalog views(BatchPointer pointer) throws ApiException {
    if (pointer == null || pointer.viewsJson() == null) {
      if (fallbackViews == null) {
        throw new ApiException(404, "no batch version is loaded yet and no views file is configured");
      }
      return fallbackViews;
    }
    ViewCatalog c = viewsByVersion.get(pointer.version());
    if (c == null) {
      try {
        c = ViewCatalog.parse(pointer.viewsJson(), "views of batch version " + pointer.version());
      } catch (ViewDefinitionException e) {
        throw new ApiException(503, "the served batch version's view definitions are invalid: " + e.getMessage(), e);
      }
      viewsByVersion.put(pointer.version(), c);
    }
    return c;
  }

  /** Runs an HBase read with the timeout; any failure to reach HBase is a 503. */
  private <T> T hbase(Callable<T> read) throws ApiException {
    Future<T> f;
    try {
      f = pool.submit(read);
    } catch (RejectedExecutionException e) {
      throw new ApiException(503, "too many requests waiting for HBase", e);
    }
    try {
      return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new ApiException(503, "HBase did not answer within " + timeoutMillis + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted while reading HBase", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalStateException || cause instanceof org.lambdadist.core.codec.CodecException) {
        throw new ApiException(500, "inconsistent store: " + cause.getMessage(), cause);
      }
      throw new ApiException(503, "HBase unavailable: " + cause, cause);
    }
  }

  /**
   * Runs an HBase read on the calling thread, bounded by the HBase client's own timeouts
   * ({@code hbase.client.operation.timeout}, set below the API timeout by ServingMain): the hot
   * path of lookups, without a thread hand-off. Failures are 503, like {@link #hbase}.
   */
  private <T> T direct(Callable<T> read) throws ApiException {
    if (connection == null) {
      return hbase(read); // the first connection may block on ZooKeeper: keep it bounded
    }
    try {
      return read.call();
    } catch (IllegalStateException | org.lambdadist.core.codec.CodecException e) {
      throw new ApiException(500, "inconsistent store: " + e.getMessage(), e);
    } catch (Exception e) {
      throw new ApiException(503, "HBase unavailable: " + e, e);
    }
  }

  /** The HBase connection, made on first use and again after it was closed or failed. */
  private Connection connection() throws IOException {
    Connection c = connection;
    if (c == null || c.isClosed() || c.isAborted()) {
      synchronized (this) {
        c = connection;
        if (c == null || c.isClosed() || c.isAborted()) {
          c = ConnectionFactory.createConnection(conf);
          connection = c;
        }
      }
    }
    return c;
  }

  @Override
  public void close() throws IOException {
    refresher.shutdownNow();
    pool.shutdownNow();
    Connection c = connection;
    if (c != null) {
      c.close();
    }
  }

  private interface JsonBody {
    void write(JsonGenerator json) throws IOException;
  }

  private static String render(JsonBody body) {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      body.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toString();
  }
}
