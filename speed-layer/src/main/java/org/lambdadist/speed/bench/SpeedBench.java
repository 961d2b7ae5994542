package org.lambdadist.speed.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.GenericOptionsParser;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.generate.ClickstreamGenerator;
import org.lambdadist.speed.SpeedLayerMain;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * {@code SpeedBench [-D key=value …] --serving URL [--rates 10000,25000,50000] [--seconds 30] [--warmup 60]}:
 * for each rate, a fresh topic and checkpoint, the speed layer in this JVM (Spark
 * {@code local[2]}), a producer at that rate and, twice a second after the warm-up, a probe
 * event whose lookup over HTTP is polled until it is visible. Prints per rate the produced and consumed rates,
 * micro-batch processing times, the lag left and the produce → visible latency; then the
 * highest rate sustained (lag bounded, median processing time below the interval). The speed
 * layer's progress lives in the HBase namespace, one stream per namespace: give each
 * invocation its own ({@code scripts/bench-speed} runs one rate per namespace).
 */
public final class SpeedBench {
  private SpeedBench() {}

  /** One run's numbers. */
  record Result(long rate, double produced, double consumed, long p50Processing, long maxProcessing, long lagLeft,
                long latencyP50, long latencyP99, int probes, boolean sustained) {}

  public static void main(String[] args) throws Exception {
    Configuration conf = LambdaSettings.create();
    String[] rest = new GenericOptionsParser(conf, args).getRemainingArgs();
    String serving = null;
    List<Long> rates = List.of(10_000L, 25_000L, 50_000L);
    int seconds = 30;
    int warmup = 60;
    for (int i = 0; i < rest.length; i++) {
      switch (rest[i]) {
        case "--serving" -> serving = rest[++i];
        case "--rates" -> rates = java.util.Arrays.stream(rest[++i].split(",")).map(String::trim).map(Long::parseLong).toList();
        case "--seconds" -> seconds = Integer.parseInt(rest[++i]);
        case "--warmup" -> warmup = Integer.parseInt(rest[++i]);
        default -> {
          System.err.println("usage: SpeedBench [-D key=value ...] --serving URL [--rates R1,R2,...] [--seconds S] [--warmup S]");
          System.exit(2);
        }
      }
    }
    if (serving == null) {
      System.err.println("SpeedBench: --serving URL of a running serving layer is required");
      System.exit(2);
    }
    String base = LambdaSettings.get(conf, LambdaKeys.KAFKA_TOPIC);
    Path work = Files.createTempDirectory("speed-bench");
    List<Result> results = new ArrayList<>();
    for (long rate : rates) {
      Configuration run = new Configuration(conf);
      String topic = base + ".bench-" + rate + "-" + System.currentTimeMillis();
      run.set(LambdaKeys.KAFKA_TOPIC, topic);
      run.set(LambdaKeys.SPEED_CHECKPOINT, work.resolve("checkpoint-" + rate).toString());
      Result r = runOnce(run, topic, rate, warmup, seconds, URI.create(serving));
      results.add(r);
      System.out.printf("rate %,7d/s: produced %,9.0f/s consumed %,9.0f/s  batch processing p50 %,5d ms max %,6d ms"
          + "  lag at end %,9d  latency p50 %,6d ms p99 %,6d ms (%d probes)  %s%n", r.rate(), r.produced(), r.consumed(),
          r.p50Processing(), r.maxProcessing(), r.lagLeft(), r.latencyP50(), r.latencyP99(), r.probes(),
          r.sustained() ? "SUSTAINED" : "not sustained");
    }
    long best = results.stream().filter(Result::sustained).mapToLong(Result::rate).max().orElse(0);
    long interval = LambdaSettings.getMillis(conf, LambdaKeys.SPEED_INTERVAL);
    System.out.printf("highest sustained rate: %,d events/s (interval %d ms; target 50,000/s, p99 latency <= %d ms)%n",
        best, interval, 2 * interval);
  }

  /**
   * One rate: the producer runs {@code warmup + seconds}; only the last {@code seconds} count
   * (micro-batches completed then, probes sent then), so JIT compilation, the first oversized
   * batch and the backpressure estimator's settling are not taken for the steady state.
   */
  private static Result runOnce(Configuration conf, String topic, long rate, int warmup, int seconds, URI serving)
      throws Exception {
    String bootstrap = LambdaSettings.get(conf, LambdaKeys.KAFKA_BOOTSTRAP);
    int partitions = LambdaSettings.getInt(conf, LambdaKeys.KAFKA_PARTITIONS);
    long interval = LambdaSettings.getMillis(conf, LambdaKeys.SPEED_INTERVAL);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
    List<Long> processing = Collections.synchronizedList(new ArrayList<>());
    long[] consumed = new long[1];
    long[] measureFrom = {Long.MAX_VALUE};
    // Started as scripts/start-speed starts it (lease, views check, metrics), plus this listener.
    JavaStreamingContext speed = SpeedLayerMain.start(SpeedLayerMain.settings(conf), Clock.systemUTC(),
        new StreamingListener() {
      @Override
      public void onBatchCompleted(StreamingListenerBatchCompleted batch) {
        if (batch.batchInfo().numRecords() > 0 && System.nanoTime() >= measureFrom[0]) {
          processing.add((Long) batch.batchInfo().processingDelay().get());
          synchronized (consumed) {
            consumed[0] += batch.batchInfo().numRecords();
          }
        }
      }
    });
    Thread.sleep(3_000); // Spark started, first empty batches done

    Properties p = new Properties();
    p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "10");
    p.setProperty(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    p.setProperty(ProducerConfig.ACKS_CONFIG, "1");
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicBoolean producing = new AtomicBoolean(true);
    ExecutorService probes = Executors.newFixedThreadPool(4);
    HttpClient http = HttpClient.newHttpClient();
    long produced = 0;
    long start = System.nanoTime();
    long measured = start + TimeUnit.SECONDS.toNanos(warmup);
    measureFrom[0] = measured;
    long producedBeforeWindow = -1;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      ClickstreamGenerator generator = new ClickstreamGenerator(
          ClickstreamGenerator.Settings.defaults(Long.MAX_VALUE / 2, rate).clean());
      long end = measured + TimeUnit.SECONDS.toNanos(seconds);
      long nextProbe = measured;
      int probe = 0;
      while (System.nanoTime() < end) {
        if (producedBeforeWindow < 0 && System.nanoTime() >= measured) {
          producedBeforeWindow = produced;
        }
        producer.send(new ProducerRecord<>(topic, generator.next().getBytes(StandardCharsets.UTF_8)));
        produced++;
        long due = start + TimeUnit.SECONDS.toNanos(produced) / rate;
        long now = System.nanoTime();
        if (now >= nextProbe) {
          nextProbe = now + 500_000_000L;
          String type = "probe-" + rate + "-" + probe++;
          Instant at = Instant.now();
          producer.send(new ProducerRecord<>(topic, ("{\"timestamp\":\"" + at + "\",\"type\":\"" + type + "\"}")
              .getBytes(StandardCharsets.UTF_8)));
          long sentNanos = System.nanoTime();
          probes.submit(() -> latencies.add(awaitVisible(http, serving, type, at, sentNanos, producing)));
        }
        if (due - now > 1_000_000) {
          TimeUnit.NANOSECONDS.sleep(due - now);
        }
      }
      producer.flush();
    }
    double window = (System.nanoTime() - measured) / 1e9;
    double producedRate = (produced - Math.max(0, producedBeforeWindow)) / window;
    double consumedRate;
    synchronized (consumed) {
      consumedRate = consumed[0] / window;
    }
    long lag = lag(bootstrap, topic, conf); // when the producer stops: how far behind the stream is
    Thread.sleep(2 * interval + 1_000); // the last probes become visible
    producing.set(false);
    probes.shutdown();
    probes.awaitTermination(30, TimeUnit.SECONDS);
    SpeedLayerMain.stop(speed, false);
    List<Long> proc = new ArrayList<>(processing);
    Collections.sort(proc);
    List<Long> lat = new ArrayList<>(latencies);
    lat.removeIf(l -> l < 0);
    Collections.sort(lat);
    long p50 = proc.isEmpty() ? -1 : proc.get(proc.size() / 2);
    // Sustained: the median micro-batch finishes within the interval, none takes over twice the
    // interval after the warm-up, and, when the producer stops, the stream is at most about one
    // micro-batch behind.
    long max = proc.isEmpty() ? -1 : proc.get(proc.size() - 1);
    boolean sustained = p50 >= 0 && p50 < interval && max <= 2 * interval && lag <= 3 * rate * interval / 2000
        && !lat.isEmpty();
    return new Result(rate, producedRate, consumedRate, p50, max, lag,
        percentile(lat, 0.5), percentile(lat, 0.99), lat.size(), sustained);
  }

  private static long percentile(List<Long> sorted, double q) {
    return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
  }

  /** Polls the probe's minute until the API counts it; -1 if the run ends first. */
  private static long awaitVisible(HttpClient http, URI serving, String type, Instant at, long sentNanos,
                                   AtomicBoolean running) {
    long minute = at.toEpochMilli() / 60_000 * 60_000;
    URI uri = serving.resolve("/v1/views/events_by_type/minute?type=" + type + "&from=" + Instant.ofEpochMilli(minute)
        + "&to=" + Instant.ofEpochMilli(minute + 60_000));
    long deadline = sentNanos + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && (running.get() || System.nanoTime() < deadline)) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("\"events\"")) {
          return (System.nanoTime() - sentNanos) / 1_000_000;
        }
        Thread.sleep(100); // 100 ms resolution; faster polling only steals the speed layer's CPU
      } catch (Exception e) {
        return -1;
      }
    }
    return -1;
  }

  private static long lag(String bootstrap, String topic, Configuration conf) throws Exception {
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
         org.apache.hadoop.hbase.client.Connection hbase = org.apache.hadoop.hbase.client.ConnectionFactory
             .createConnection(LambdaSettings.withHBase(conf))) {
      List<TopicPartition> tps = new ArrayList<>();
      c.partitionsFor(topic).forEach(i -> tps.add(new TopicPartition(topic, i.partition())));
      long end = 0;
      for (long o : c.endOffsets(tps).values()) {
        end += o;
      }
      var progress = new org.lambdadist.storage.hbase.EpochStore(hbase,
          new org.lambdadist.storage.hbase.HBaseSchema(conf)).readProgress();
      long done = progress.ledger().committed() == null ? 0
          : progress.ledger().committed().until().distanceFrom(org.lambdadist.core.epoch.PartitionOffsets.empty());
      return end - done;
    }
  }
}
