package org.lambdadist.core.config;

/**
 * Setting names. Their defaults and documentation live in one place only,
 * {@code lambda-default.xml} in this jar ({@link LambdaDefaults}); a test checks that every
 * name here has a default there and every default a name here.
 */
public final class LambdaKeys {
  private LambdaKeys() {}

  /** Root of the master dataset and batch views, on the default file system. */
  public static final String ROOT = "lambda.root";

  /** The views and attribution definitions. */
  public static final String VIEWS_FILE = "lambda.views.file";

  /** Size limit of one event record in bytes; larger records are rejected as TOO_LARGE. */
  public static final String EVENT_MAX_BYTES = "lambda.event.max-bytes";

  /** Deepest nesting of objects and arrays in one event; deeper records are rejected as OVER_LIMIT. */
  public static final String EVENT_MAX_DEPTH = "lambda.event.max-depth";

  /** Longest JSON number literal, in characters; a longer one rejects the record as OVER_LIMIT. */
  public static final String EVENT_MAX_NUMBER_LENGTH = "lambda.event.max-number-length";

  /**
   * Longest value, in UTF-8 bytes, used as a dimension, filter operand, distinct value or
   * attribution key; a longer one rejects the event as VALUE_TOO_LONG.
   */
  public static final String EVENT_MAX_VALUE_BYTES = "lambda.event.max-value-bytes";

  /** Earliest plausible event time (inclusive); earlier events are rejected as BAD_TIMESTAMP. */
  public static final String EVENT_TIMESTAMP_MIN = "lambda.event.timestamp.min";

  /** Latest plausible event time (inclusive); later events are rejected as BAD_TIMESTAMP. */
  public static final String EVENT_TIMESTAMP_MAX = "lambda.event.timestamp.max";

  /** A metric number must be below 10 to this power in magnitude; a larger one is a bad metric value. */
  public static final String EVENT_METRIC_MAX_EXPONENT = "lambda.event.metric.max-exponent";

  /** Most digits after the point of a metric number (trailing zeros aside); more is a bad metric value. */
  public static final String EVENT_METRIC_MAX_SCALE = "lambda.event.metric.max-scale";

  /** Reduce tasks of the aggregate job. */
  public static final String AGGREGATE_REDUCERS = "lambda.aggregate.reducers";

  /** Rows held by one task's in-memory aggregation before it flushes partial aggregates. */
  public static final String AGGREGATE_FLUSH_ROWS = "lambda.aggregate.flush-rows";

  /** Bytes of an epoch's projected events one map task of the partial-rows job reads. */
  public static final String AGGREGATE_SPLIT_BYTES = "lambda.aggregate.split-bytes";

  /**
   * How often a batch tool reads a running MapReduce job's progress and, when it changed, prints
   * its map and reduce percentages (milliseconds).
   */
  public static final String BATCH_PROGRESS_INTERVAL_MS = "lambda.batch.progress-interval-ms";

  /**
   * Whether import and archive compute the partial view rows of the epoch they commit, in
   * process, right after its id index (so the next aggregate only merges).
   */
  public static final String IMPORT_PARTIAL_ROWS = "lambda.import.partial-rows";

  /** Longest input line import accepts; a longer line fails the import (nothing is written). */
  public static final String IMPORT_MAX_LINE_BYTES = "lambda.import.max-line-bytes";

  /** Compression codec class of master dataset files. */
  public static final String MASTER_CODEC = "lambda.master.codec";

  /**
   * How long a command waits for HBase, Kafka or (lambda query) the API to answer before it
   * says, in one line, that it cannot reach it.
   */
  public static final String CONNECT_TIMEOUT = "lambda.connect.timeout";

  /** HBase namespace of the product's tables. */
  public static final String HBASE_NAMESPACE = "lambda.hbase.namespace";

  /**
   * Regions a new version table (and the realtime table, when created) is pre-split into: 1, 2,
   * 4, 8 or 16 runs of salt values, or 0 for twice the live region servers (at most 16). A
   * multi-key lookup reads one scan per region holding its keys, so regions beyond what the
   * servers can read at once only add scans.
   */
  public static final String HBASE_REGIONS = "lambda.hbase.regions";

  /** Time to live of realtime cells, in seconds (they matter only until a batch covers them). */
  public static final String HBASE_REALTIME_TTL_SECONDS = "lambda.hbase.realtime.ttl-seconds";

  /** Batch view versions kept in HBase: the current one and this many minus one before it. */
  public static final String SERVING_KEEP_VERSIONS = "lambda.serving.keep-versions";

  /** HTTP port of the serving layer. */
  public static final String SERVING_PORT = "lambda.serving.port";

  /** Address the serving layer listens on. */
  public static final String SERVING_HOST = "lambda.serving.host";

  /**
   * The API's base URL for clients of this installation ({@code lambda query}); empty: built
   * from {@link #SERVING_HOST} and {@link #SERVING_PORT}.
   */
  public static final String SERVING_URL = "lambda.serving.url";

  /** Most buckets one lookup may cover (10,080 = a week of minutes). */
  public static final String SERVING_MAX_BUCKETS = "lambda.serving.max-buckets";

  /** Bearer token the API requires; empty: no authentication. */
  public static final String SERVING_AUTH_TOKEN = "lambda.serving.auth.token";

  /** Longest a request may take, in milliseconds; then 503 with Retry-After. */
  public static final String SERVING_DEADLINE_MS = "lambda.serving.deadline-ms";

  /** Requests the API works on at once; one more is answered 503 at once (with Retry-After). */
  public static final String SERVING_MAX_CONCURRENT = "lambda.serving.max-concurrent";

  /** Open connections the API accepts; more wait in the operating system's backlog. */
  public static final String SERVING_MAX_CONNECTIONS = "lambda.serving.max-connections";

  /** Most attribution rows one request may read; more is a 400 naming the cap. */
  public static final String SERVING_ATTRIBUTION_MAX_ROWS = "lambda.serving.attribution.max-rows";

  /** Most days times models one attribution request may cover (compare counts every model). */
  public static final String SERVING_ATTRIBUTION_MAX_MODEL_DAYS = "lambda.serving.attribution.max-model-days";

  /** How often the serving layer rereads the served version from meta, in ms. */
  public static final String SERVING_META_CACHE_MS = "lambda.serving.meta-cache-ms";

  /** Largest request body (a multi-key lookup) the API reads, in bytes; a larger one is a 413. */
  public static final String SERVING_MAX_REQUEST_BYTES = "lambda.serving.max-request-bytes";

  /** Most keys one multi-key lookup may ask for; more is a 400 naming the cap. */
  public static final String SERVING_LOOKUP_MAX_KEYS = "lambda.serving.lookup.max-keys";

  /** Most rows one multi-key lookup may answer with, all keys together; more is a 400. */
  public static final String SERVING_LOOKUP_MAX_ROWS = "lambda.serving.lookup.max-rows";

  /** Decoded batch rows the serving layer keeps (answers of one key and range of one version); 0: none. */
  public static final String SERVING_CACHE_ROWS = "lambda.serving.cache.rows";

  /** Whether the API also publishes its meters over JMX. */
  public static final String SERVING_METRICS_JMX = "lambda.serving.metrics.jmx";

  /** Whether GET /metrics needs the API's bearer token. */
  public static final String SERVING_METRICS_AUTH = "lambda.serving.metrics.auth";

  /** Whether the API reads Kafka's end offsets to tell the speed layer's lag. */
  public static final String SERVING_METRICS_KAFKA_LAG = "lambda.serving.metrics.kafka-lag";

  /** How old, in milliseconds, the stack figures the API's metrics export from meta may be. */
  public static final String SERVING_METRICS_STACK_REFRESH_MS = "lambda.serving.metrics.stack-refresh-ms";

  /** Kafka bootstrap servers of the event bus (speed layer, archiver, generate --kafka). */
  public static final String KAFKA_BOOTSTRAP = "lambda.kafka.bootstrap";

  /**
   * Prefix of Kafka client settings passed to every producer and consumer of the product
   * (speed layer, archiver, generator, status): {@code lambda.kafka.client.security.protocol=SASL_SSL}
   * becomes {@code security.protocol=SASL_SSL}. For Kerberos, TLS and tuning.
   */
  public static final String KAFKA_CLIENT_PREFIX = "lambda.kafka.client.";

  /** The Kafka client settings among {@code settings}: every {@link #KAFKA_CLIENT_PREFIX} key, prefix removed. */
  public static java.util.Map<String, String> kafkaClientSettings(Iterable<java.util.Map.Entry<String, String>> settings) {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    for (java.util.Map.Entry<String, String> e : settings) {
      if (e.getKey().startsWith(KAFKA_CLIENT_PREFIX) && e.getKey().length() > KAFKA_CLIENT_PREFIX.length()) {
        out.put(e.getKey().substring(KAFKA_CLIENT_PREFIX.length()), e.getValue());
      }
    }
    return out;
  }

  /** The topic events arrive on. */
  public static final String KAFKA_TOPIC = "lambda.kafka.topic";

  /** Dead-letter topic: the speed layer's rejected events, the reason in header 'reason'. */
  public static final String KAFKA_REJECTED_TOPIC = "lambda.kafka.rejected-topic";

  /** Partitions of the events topic when the scripts create it. */
  public static final String KAFKA_PARTITIONS = "lambda.kafka.partitions";

  /**
   * Consumer group id of the speed layer. Its offsets are kept in HBase meta beside its output
   * (the only ones it resumes from); after each micro-batch they are also committed to Kafka
   * under this group, for Kafka's lag tools only.
   */
  public static final String KAFKA_GROUP = "lambda.kafka.group";

  /** Micro-batch interval of the speed layer (a duration: 500ms, 2s, 1m). */
  public static final String SPEED_INTERVAL = "lambda.speed.interval";

  /** The speed layer drops a copy of an event_id seen within this window (the batch layer drops every later copy). */
  public static final String SPEED_DEDUP_WINDOW = "lambda.speed.dedup.window";

  /** How many state partitions the speed layer's dedup window is split into (tasks deciding duplicates in parallel). */
  public static final String SPEED_DEDUP_PARTITIONS = "lambda.speed.dedup.partitions";

  /** The speed layer's state directory (its dedup window's files); empty: ${lambda.root}/speed/checkpoint. */
  public static final String SPEED_CHECKPOINT = "lambda.speed.checkpoint";

  /**
   * What the speed layer does when the views changed since it last ran: {@code refuse} (stop
   * with a message saying what to do) or {@code reset} (truncate the realtime table, drop the
   * checkpoint, resume from the committed offsets with the new views).
   */
  public static final String SPEED_ON_VIEWS_CHANGE = "lambda.speed.on-views-change";

  /** Spark master when the speed layer runs without spark-submit (scripts/start-speed). */
  public static final String SPEED_MASTER = "lambda.speed.master";

  /** Most records per second and partition a micro-batch takes (0: no cap; backpressure adapts below it). */
  public static final String SPEED_MAX_RATE = "lambda.speed.max-rate-per-partition";

  /** Port of the speed layer's Prometheus endpoint {@code GET /metrics} (0: any free port, logged; -1: none). */
  public static final String SPEED_METRICS_PORT = "lambda.speed.metrics.port";

  /** Address the speed layer's metrics endpoint listens on (0.0.0.0: every interface). */
  public static final String SPEED_METRICS_HOST = "lambda.speed.metrics.host";

  /** How long an arrival epoch stays open: the speed layer closes it at the end of the first micro-batch after this; the archiver closes one itself when no speed layer made progress for this long. */
  public static final String EPOCH_INTERVAL = "lambda.epoch.interval";

  /**
   * Time to live of a writer's lease (the batch writers' and the speed layer's): its holder
   * renews it every third of this; a holder that stops renewing loses it after this long.
   */
  public static final String LEASE_TTL = "lambda.lease.ttl";

  /** How long a batch writer waits for another writer's lease before it gives up (0: not at all). */
  public static final String LEASE_WAIT = "lambda.lease.wait";

  /** A batch cycle lock older than this (a cycle that died) is taken over by the next cycle. */
  public static final String CYCLE_LOCK_STALE = "lambda.cycle.lock-stale";

  /** Whether a batch cycle reconciles the speed layer's cells with the batch after its load. */
  public static final String RECONCILE_ENABLED = "lambda.reconcile.enabled";

  /** The tolerance of a {@code distinct} metric in reconciliation, in standard errors of its sketch. */
  public static final String RECONCILE_DISTINCT_SIGMAS = "lambda.reconcile.distinct-sigmas";

  /** Most realtime cells one reconciliation holds in memory; beyond, it stops and records why. */
  public static final String RECONCILE_MAX_CELLS = "lambda.reconcile.max-cells";
}
