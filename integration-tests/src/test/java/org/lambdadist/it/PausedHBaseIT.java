package org.lambdadist.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lambdadist.core.generate.ClickstreamGenerator;
import org.lambdadist.core.testing.ClickstreamViews;
import org.lambdadist.serving.ServingMain;
import org.lambdadist.serving.http.ServingApi;
import org.lambdadist.serving.http.ServingServer;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * A slow HBase, not a down one: HBase runs as its own process and is paused with SIGSTOP while
 * 32 clients query the API. Every answer arrives within the request deadline plus a second (503
 * with Retry-After while HBase is paused), none hangs, and lookups answer 200 again once HBase
 * resumes.
 */
class PausedHBaseIT {
  private static final Path HOME = ClickstreamViews.confDir().getParent();

  private record Answer(long startMillis, long millis, int status) {}

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String run(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), String.join(" ", cmd));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void aPausedHBaseGets503sWithinTheDeadlineAndRecovers(@TempDir Path dir) throws Exception {
    int zk = freePort();
    Path root = dir.resolve("root");
    run(dir, "bash", HOME.resolve("scripts/start-hbase").toString(), "--root", root.toString(), "--zk-port",
        Integer.toString(zk));
    long hbasePid = Long.parseLong(Files.readString(root.resolve("hbase/hbase.pid")).trim());
    try {
      Configuration conf = LambdaSettings.create();
      conf.set("hbase.zookeeper.quorum", "localhost");
      conf.setInt("hbase.zookeeper.property.clientPort", zk);
      conf.set("fs.defaultFS", "file:///");
      conf.set("lambda.root", root.toUri().toString());
      conf.set("lambda.views.file", ClickstreamViews.confDir().resolve("views.json").toString());
      conf.set("hbase.fs.tmp.dir", dir.resolve("hbase-staging").toUri().toString());
      try (Connection c = ConnectionFactory.createConnection(conf); Admin admin = c.getAdmin()) {
        new HBaseSchema(conf).createTables(admin);
      }
      List<String> lines = new ArrayList<>();
      new ClickstreamGenerator(ClickstreamGenerator.Settings.defaults(5_000, 12)).forEachRemaining(lines::add);
      Files.write(dir.resolve("in.jsonl"), lines);
      BatchHarness batch = new BatchHarness(conf);
      assertEquals(0, batch.importFiles(dir.resolve("in.jsonl").toString()).exitCode());
      assertEquals(0, batch.aggregate().exitCode());
      BatchHarness.Run load = batch.load();
      assertEquals(0, load.exitCode(), load.err());

      Configuration serving = new Configuration(ServingMain.configuration());
      serving.set("hbase.zookeeper.quorum", "localhost");
      serving.setInt("hbase.zookeeper.property.clientPort", zk);
      long deadline = LambdaSettings.getInt(serving, "lambda.serving.deadline-ms");
      try (ServingServer server = new ServingServer(new ServingApi(serving, ClickstreamViews.catalog(),
          Clock.systemUTC()), "127.0.0.1", 0)) {
        server.start();
        // Each lookup ends a millisecond later than the last (the same rows): a new range, so the
        // serving layer's cache of batch answers never answers it and every lookup reads HBase.
        String lookup = "http://127.0.0.1:" + server.port() + "/v1/views/events_by_type/day"
            + "?from=2026-11-01T00:00:00Z&type=click&to=";
        long lastDay = java.time.Instant.parse("2026-11-04T00:00:00Z").toEpochMilli();
        java.util.concurrent.atomic.AtomicLong uncached = new java.util.concurrent.atomic.AtomicLong();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean going = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(32);
        long t0 = System.currentTimeMillis();
        for (int i = 0; i < 32; i++) {
          clients.submit(() -> {
            while (going.get()) {
              long start = System.currentTimeMillis();
              int status;
              try {
                URI uri = URI.create(lookup + (lastDay + uncached.incrementAndGet()));
                status = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
              } catch (Exception e) {
                status = -1;
              }
              answers.add(new Answer(start - t0, System.currentTimeMillis() - start, status));
            }
            return null;
          });
        }
        TimeUnit.SECONDS.sleep(3);
        long pausedAt = System.currentTimeMillis() - t0;
        run(dir, "kill", "-STOP", Long.toString(hbasePid));
        TimeUnit.SECONDS.sleep(8);
        run(dir, "kill", "-CONT", Long.toString(hbasePid));
        long resumedAt = System.currentTimeMillis() - t0;
        // Recovery: a 200 again within a minute of the resume.
        long recoveredBy = -1;
        for (int i = 0; i < 120 && recoveredBy < 0; i++) {
          TimeUnit.MILLISECONDS.sleep(500);
          synchronized (answers) {
            for (Answer a : answers) {
              if (a.startMillis() > resumedAt && a.status() == 200) {
                recoveredBy = a.startMillis() - resumedAt;
                break;
              }
            }
          }
        }
        going.set(false);
        clients.shutdown();
        assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS));
        List<Answer> during = answers.stream()
            .filter(a -> a.startMillis() >= pausedAt + 500 && a.startMillis() + a.millis() <= resumedAt).toList();
        long slowest = answers.stream().mapToLong(Answer::millis).max().orElse(0);
        System.out.printf("paused HBase: %d answers, %d while paused (all 503: %b), slowest %d ms (deadline %d ms),"
            + " a 200 again %d ms after the resume%n", answers.size(), during.size(),
            during.stream().allMatch(a -> a.status() == 503), slowest, deadline, recoveredBy);
        assertTrue(answers.stream().allMatch(a -> a.status() == 200 || a.status() == 503),
            "only answers, 200 or 503: " + answers.stream().map(Answer::status).distinct().toList());
        assertTrue(slowest <= deadline + 1_000, "every answer within the deadline + 1 s; slowest " + slowest + " ms");
        assertTrue(during.size() > 32 && during.stream().allMatch(a -> a.status() == 503),
            "503s while HBase is paused: " + during.size() + " answers");
        assertTrue(answers.stream().anyMatch(a -> a.startMillis() < pausedAt && a.status() == 200), "200s before");
        assertTrue(recoveredBy >= 0, "lookups answer again after HBase resumes");
      }
    } finally {
      // Never leave HBase stopped; it may also have ended by itself, which the log then tells.
      new ProcessBuilder("kill", "-CONT", Long.toString(hbasePid)).start().waitFor(30, TimeUnit.SECONDS);
      if (ProcessHandle.of(hbasePid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
        Path log = root.resolve("hbase/logs/hbase.log");
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        System.err.println("PausedHBaseIT: HBase (pid " + hbasePid + ") is gone after the test; its log ends:\n"
            + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
      }
      new ProcessBuilder("bash", HOME.resolve("scripts/stop-hbase").toString(), "--root", root.toString())
          .inheritIO().start().waitFor(90, TimeUnit.SECONDS);
    }
  }
}
