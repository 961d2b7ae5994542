package org.lambdadist.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.lambdadist.core.event.EventLimits;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.event.ParseResult;
import org.lambdadist.core.generate.ClickstreamGenerator;
import org.lambdadist.core.testing.ClickstreamViews;
import org.lambdadist.core.testing.ViewOracle;
import org.lambdadist.core.view.ViewCatalog;

/**
 * End to end, as a user would: {@code scripts/lambda local} starts the stack as processes
 * (Kafka, HBase, the API, the speed layer); events go in through Kafka's own console producer
 * ({@code lambda kafka produce}); answers come from HTTP; a batch cycle runs through the cron
 * wrapper. Every answer must equal the in-memory oracle over everything accepted so far
 * before the first cycle, while it runs and flips the version, and after it with late events
 * on top; rejected input must be in {@code events.rejected} and in the quarantine with its
 * reason; Ctrl-C (SIGINT) must stop every process.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalStackIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path HOME = Paths.get(System.getProperty("user.dir")).getParent();

  private final ViewCatalog catalog = ClickstreamViews.catalog();
  private final ViewOracle oracle = new ViewOracle(catalog);
  private final Map<String, Long> rejectedByReason = new TreeMap<>();
  private Path dir;
  private Path root;
  private int apiPort;
  private int kafkaPort;
  private int zkPort;
  private Process stack;
  private Path stackLog;
  private ServingHttp api;

  @BeforeAll
  void startTheLocalStack() throws Exception {
    dir = Files.createTempDirectory("local-stack-it");
    root = dir.resolve("data");
    apiPort = freePort(1);
    kafkaPort = freePort(2); // the controller listens on the next port
    zkPort = freePort(1);
    stackLog = dir.resolve("local.out");
    ProcessBuilder pb = new ProcessBuilder("bash", HOME.resolve("scripts/lambda").toString(), "local", "--fresh",
        "--root", root.toString(), "--rate", "0", "--cycle-every", "off", "--port", Integer.toString(apiPort),
        "--kafka-port", Integer.toString(kafkaPort), "--zk-port", Integer.toString(zkPort),
        "-D", "lambda.epoch.interval=4s", "-D", "lambda.speed.interval=1s", "-D", "lambda.serving.meta-cache-ms=200")
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(stackLog.toFile());
    pb.environment().put("LAMBDA_SPEED_HEAP", "1g");
    pb.environment().put("LAMBDA_SERVING_HEAP", "512m");
    stack = pb.start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (!Files.readString(stackLog).contains("Lambda stack ready")) {
      if (!stack.isAlive() || System.nanoTime() > deadline) {
        fail("lambda local did not become ready:\n" + Files.readString(stackLog));
      }
      Thread.sleep(500);
    }
    api = new ServingHttp(URI.create("http://localhost:" + apiPort), catalog);
  }

  @AfterAll
  void stopTheStack() throws Exception {
    if (stack != null && stack.isAlive()) {
      // The test failed before its Ctrl-C: stop what runs, keep the logs for a look.
      stack.destroyForcibly();
      new ProcessBuilder("bash", HOME.resolve("scripts/lambda").toString(), "local", "--stop", "--root", root.toString())
          .inheritIO().start().waitFor(3, TimeUnit.MINUTES);
      System.err.println("LocalStackIT: logs kept in " + dir);
    } else if (dir != null) {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void answersStayExactThroughACycleAndCtrlCStopsEverything() throws Exception {
    // Before any batch: everything comes from the speed layer.
    List<String> first = lines(4_000, 301, "2026-11-01T00:00:00Z");
    produceWithKafkasConsoleProducer(first);
    awaitCaughtUp();
    assertExact("speed layer only, before any cycle");
    JsonNode status = api.getJson("/v1/status");
    assertTrue(status.get("batch").get("version").isNull(), status.toString());

    // Every event so far in closed epochs, then a cycle through the cron wrapper while lookups run.
    awaitEverythingInClosedEpochs();
    Path lockFile = dir.resolve("cycle.lock");
    // Another cycle of this machine holds the flock (-o: only flock itself holds it, not its sleep).
    Process holder = new ProcessBuilder("flock", "-o", lockFile.toString(), "sleep", "60").start();
    Thread.sleep(500);
    Run busy = cronCycle(lockFile);
    assertEquals(75, busy.code, busy.output);
    assertTrue(busy.output.contains("busy"), busy.output);
    holder.descendants().forEach(ProcessHandle::destroy);
    holder.destroy();
    holder.waitFor();

    AtomicBoolean cycling = new AtomicBoolean(true);
    List<String> failures = new CopyOnWriteArrayList<>();
    AtomicInteger checks = new AtomicInteger();
    Thread checker = new Thread(() -> {
      while (cycling.get()) {
        try {
          assertExact("during the cycle");
          checks.incrementAndGet();
        } catch (Throwable t) {
          failures.add(t.getMessage());
          return;
        }
      }
    }, "lookups-during-the-cycle");
    checker.start();
    Run cycle = cronCycle(lockFile);
    Thread.sleep(600);
    cycling.set(false);
    checker.join();
    assertEquals(0, cycle.code, cycle.output);
    assertTrue(failures.isEmpty(), failures.toString());
    assertTrue(checks.get() >= 2, "lookups ran during the cycle: " + checks.get());
    String cycleLog;
    try (Stream<Path> logs = Files.list(dir.resolve("cron-logs"))) {
      Path log = logs.filter(p -> p.getFileName().toString().matches("cycle-\\d{4}-\\d{2}-\\d{2}\\.log")).findFirst().orElseThrow();
      cycleLog = Files.readString(log);
    }
    assertTrue(cycleLog.contains("step archive done") && cycleLog.contains("step aggregate done")
        && cycleLog.contains("step attribute done") && cycleLog.contains("step load done")
        && cycleLog.contains("lambda-cycle: end, exit 0"), cycleLog);

    status = api.getJson("/v1/status");
    String version = status.get("batch").get("version").asText();
    long lastClosed = status.get("epochs").get("last_closed").asLong();
    assertEquals(lastClosed, status.get("batch").get("last_epoch").asLong(), "the batch covers every closed epoch");
    assertExact("after the flip");
    JsonNode coverage = api.getJson("/v1/views/events_by_type/day?from=2026-11-01T00:00:00Z&to=2026-11-05T00:00:00Z&type=click")
        .get("coverage");
    assertEquals(version, coverage.get("batch_version").asText(), coverage.toString());

    // lambda status reads the same from its sources.
    Run st = lambda("status", "--json", "-D", "lambda.root=" + root, "-D", "lambda.kafka.bootstrap=localhost:" + kafkaPort,
        "-D", "hbase.zookeeper.property.clientPort=" + zkPort);
    assertEquals(0, st.code, st.output);
    assertTrue(st.output.contains("running (pid"), st.output);
    JsonNode json = JSON.readTree(st.output.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
    assertEquals(version, json.get("served").get("version").asText(), json.toString());
    assertEquals(0, json.get("speed").get("lag_events").asLong(), json.toString());
    assertEquals("[]", json.get("epochs").get("closed_not_archived").toString());

    // The real jar serves the metrics, the dashboard with its chart library, and the API description.
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.util.function.Function<String, java.net.http.HttpResponse<String>> fetch = path -> {
      try {
        return http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:" + apiPort + path)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
      } catch (Exception e) {
        throw new AssertionError(path, e);
      }
    };
    // The API reads Kafka's end offsets in the background: caught up, the speed layer's lag is 0.
    long lagDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonNode lag = api.getJson("/v1/status").get("speed").get("lag_events");
    while (!(lag.isNumber() && lag.asLong() == 0) && System.nanoTime() < lagDeadline) {
      Thread.sleep(500);
      lag = api.getJson("/v1/status").get("speed").get("lag_events");
    }
    assertEquals(0, lag.asLong(), "the API's speed.lag_events: " + lag);
    String metrics = fetch.apply("/metrics").body();
    assertTrue(metrics.contains("lambda_speed_lag_events 0.0"), metrics);
    for (String family : List.of("lambda_api_requests_seconds_count{", "lambda_api_store_reads_seconds_count{",
        "lambda_batch_last_epoch ", "lambda_epochs_waiting ", "lambda_freshness_seconds ",
        "cache_gets_total{cache=\"batch_rows\"", "jvm_memory_used_bytes{")) {
      assertTrue(metrics.contains(family), family + " in /metrics:\n" + metrics);
    }
    java.net.http.HttpResponse<String> page = fetch.apply("/");
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page.headers().toString());
    assertTrue(page.body().contains("/ui/vendor/uPlot.min.js"), page.body());
    assertEquals(200, fetch.apply("/ui/vendor/uPlot.min.js").statusCode());
    assertEquals(200, fetch.apply("/ui/vendor/swagger-ui-bundle.js").statusCode());
    assertEquals("3.1.0", JSON.readTree(fetch.apply("/v1/openapi.json").body()).get("openapi").asText());

    // Rejected input: in the dead-letter topic and in the batch quarantine, each with its reason.
    assertEquals(rejectedByReason, deadLettersByReason(), "events.rejected by reason header");
    assertEquals(rejectedByReason, quarantineByReason(version), "quarantine by reason");

    // Late events for buckets the batch covers, and new ones: realtime cells on top of the batch.
    List<String> late = lines(2_000, 302, "2026-11-01T12:00:00Z");
    produceWithKafkasConsoleProducer(late);
    awaitCaughtUp();
    assertExact("after the flip, with late events on top of the batch");

    // Ctrl-C: every process of the stack stops, none is left behind.
    List<Long> pids = stackPids();
    assertTrue(pids.size() >= 4, "kafka, hbase, serve, speed: " + pids);
    new ProcessBuilder("bash", "-c", "kill -INT " + stack.pid()).start().waitFor(); // bash's own kill
    assertTrue(stack.waitFor(3, TimeUnit.MINUTES), "lambda local stops on SIGINT");
    String out = Files.readString(stackLog);
    assertTrue(out.contains("stopped; data kept"), out);
    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
          && !isZombie(pid), "process " + pid + " left running after Ctrl-C:\n" + out);
    }
  }

  @Test
  void everyCommandOfTheEntryHasHelp() throws Exception {
    for (String command : List.of("local", "batch", "cycle", "status", "create-tables", "serve", "speed", "kafka", "query")) {
      Run help = lambda(command, "--help");
      assertEquals(0, help.code, command + ": " + help.output);
      assertTrue(help.output.toLowerCase(java.util.Locale.ROOT).contains("usage") || help.output.contains(command),
          command + ": " + help.output);
    }
    Run unknown = lambda("frobnicate");
    assertEquals(2, unknown.code, unknown.output);
  }

  private Run lambda(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", HOME.resolve("scripts/lambda").toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), String.join(" ", args));
    return new Run(p.exitValue(), out);
  }

  /** Seeded clickstream lines (with duplicates, late and malformed ones), counted into the oracles. */
  private List<String> lines(int n, long seed, String start) {
    ClickstreamGenerator.Settings s = ClickstreamGenerator.Settings.defaults(n, seed).withStart(Instant.parse(start), 3);
    ClickstreamGenerator g = new ClickstreamGenerator(s);
    EventRules rules = EventRules.of(catalog, EventLimits.defaults());
    List<String> out = new ArrayList<>();
    while (g.hasNext()) {
      String line = g.next();
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      oracle.accept(bytes);
      ParseResult r = rules.read(bytes);
      if (!r.isAccepted()) {
        rejectedByReason.merge(r.rejection().reason().name(), 1L, Long::sum);
      }
      out.add(line);
    }
    return out;
  }

  private void produceWithKafkasConsoleProducer(List<String> lines) throws Exception {
    Path file = Files.createTempFile(dir, "events", ".jsonl");
    Files.write(file, lines, StandardCharsets.UTF_8);
    Process p = new ProcessBuilder("bash", HOME.resolve("scripts/lambda").toString(), "kafka", "produce",
        "--bootstrap-server", "localhost:" + kafkaPort, "--topic", "events", "--producer-property", "acks=all")
        .redirectInput(file.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("producer.out").toFile()).start();
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "console producer finished");
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("producer.out")));
  }

  private Map<TopicPartition, Long> endOffsets(String topic) {
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      List<TopicPartition> tps = new ArrayList<>();
      for (PartitionInfo i : c.partitionsFor(topic)) {
        tps.add(new TopicPartition(topic, i.partition()));
      }
      return c.endOffsets(tps);
    }
  }

  private String endOffsetsText() {
    StringBuilder b = new StringBuilder();
    new TreeMap<>(endOffsets("events").entrySet().stream().collect(java.util.stream.Collectors.toMap(
        e -> e.getKey().partition(), Map.Entry::getValue))).forEach((p, o) -> b.append(b.length() > 0 ? "," : "")
        .append(p).append(':').append(o));
    return b.toString();
  }

  private void awaitCaughtUp() throws Exception {
    String end = endOffsetsText();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (true) {
      JsonNode speed = api.getJson("/v1/status").get("speed");
      if (end.equals(speed.get("committed_offsets").asText())) {
        Thread.sleep(500); // one background meta reread of the API
        return;
      }
      assertTrue(System.nanoTime() < deadline, "speed layer not caught up with " + end + ": " + speed);
      Thread.sleep(300);
    }
  }

  private void awaitEverythingInClosedEpochs() throws Exception {
    String end = endOffsetsText();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (true) {
      JsonNode epochs = api.getJson("/v1/status").get("epochs");
      if (end.equals(epochs.get("open_from_offsets").asText())) {
        return;
      }
      assertTrue(System.nanoTime() < deadline, "no epoch closed at " + end + ": " + epochs);
      Thread.sleep(300);
    }
  }

  private void assertExact(String when) throws Exception {
    Map<String, ViewOracle.Row> expected = oracle.rows();
    List<String> diffs = ViewOracle.differences(expected, api.lookupAll(expected), catalog, 0.05);
    assertTrue(diffs.isEmpty(), when + ": " + diffs.subList(0, Math.min(10, diffs.size())));
  }

  private record Run(int code, String output) {}

  /** The cron wrapper, as cron would run it, against this stack. */
  private Run cronCycle(Path lockFile) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", HOME.resolve("scripts/cron/lambda-cycle").toString(),
        "-D", "lambda.root=" + root, "-D", "lambda.kafka.bootstrap=localhost:" + kafkaPort,
        "-D", "hbase.zookeeper.property.clientPort=" + zkPort)
        .directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("LAMBDA_LOG_DIR", dir.resolve("cron-logs").toString());
    pb.environment().put("LAMBDA_LOCK_FILE", lockFile.toString());
    pb.environment().put("LAMBDA_HEAP", "1g");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "cycle finished");
    return new Run(p.exitValue(), out);
  }

  private Map<String, Long> deadLettersByReason() {
    Map<String, Long> byReason = new TreeMap<>();
    Map<TopicPartition, Long> end = endOffsets("events.rejected");
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      c.assign(end.keySet());
      c.seekToBeginning(end.keySet());
      long want = end.values().stream().mapToLong(Long::longValue).sum();
      long seen = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (seen < want && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          Header reason = r.headers().lastHeader("reason");
          assertNotNull(reason, "a dead letter carries its reason");
          byReason.merge(new String(reason.value(), StandardCharsets.UTF_8), 1L, Long::sum);
          seen++;
        }
      }
    }
    return byReason;
  }

  private Map<String, Long> quarantineByReason(String version) throws IOException {
    Map<String, Long> byReason = new TreeMap<>();
    Path q = root.resolve("views").resolve(version).resolve("quarantine");
    try (Stream<Path> files = Files.list(q)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          byReason.merge(JSON.readTree(line).get("reason").asText(), 1L, Long::sum);
        }
      }
    }
    return byReason;
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties p = new Properties();
    p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + kafkaPort);
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The pids the stack's scripts recorded: Kafka, HBase and the parts of lambda local. */
  private List<Long> stackPids() throws IOException {
    List<Long> pids = new ArrayList<>();
    List<Path> files = new ArrayList<>(List.of(root.resolve("kafka/kafka.pid"), root.resolve("hbase/hbase.pid")));
    try (Stream<Path> local = Files.list(root.resolve("local"))) {
      local.filter(p -> p.getFileName().toString().endsWith(".pid")).forEach(files::add);
    }
    for (Path f : files) {
      if (Files.exists(f)) {
        pids.add(Long.parseLong(Files.readString(f).trim()));
      }
    }
    return pids;
  }

  private static boolean isZombie(long pid) {
    try {
      String stat = Files.readString(Paths.get("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return true; // gone while we looked
    }
  }

  /** A port free now (and the {@code count - 1} after it). */
  private static int freePort(int count) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      boolean all = true;
      for (int i = 1; i < count && all; i++) {
        try (ServerSocket s = new ServerSocket(port + i)) {
          all = true;
        } catch (IOException e) {
          all = false;
        }
      }
      if (all && port + count < 65535) {
        return port;
      }
    }
    throw new IOException("no " + count + " consecutive free ports");
  }

}
