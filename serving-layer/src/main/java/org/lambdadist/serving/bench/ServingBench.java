package org.lambdadist.serving.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.filter.FirstKeyOnlyFilter;
import org.lambdadist.core.codec.RowKeyCodec;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewKey;
import org.lambdadist.storage.hbase.BatchPointer;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.storage.hbase.MetaStore;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * {@code ServingBench URL VIEW DIMENSION SECONDS CLIENTS}: collects the (key, day) pairs of
 * one single-dimension view's minute rows from the served version table, then, for SECONDS
 * each, runs CLIENTS threads of random one-day minute lookups, first through the HTTP API at
 * URL, then as raw HBase scans of the same row ranges, and prints lookups/s, p50 and p99 of
 * each and the p99 ratio; then 100 keys of a day in one multi-key lookup against the same keys
 * as 100 single lookups. Each path is warmed up until its throughput is steady before it is
 * measured, since a server is measured in steady state, not while the JIT compiles it. Runs
 * from the serving jar: {@code java -cp serving-layer.jar}.
 */
public final class ServingBench {
  /** Length of one warm-up round. */
  private static final int WARMUP_ROUND_SECONDS = 10;
  /** Warm-up rounds at most per path (90 s). */
  private static final int WARMUP_MAX_ROUNDS = 9;

  private ServingBench() {}

  private record Lookup(String key, long day) {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: ServingBench URL VIEW DIMENSION SECONDS CLIENTS");
      System.exit(2);
    }
    URI base = URI.create(args[0]);
    String view = args[1];
    String dimension = args[2];
    int seconds = Integer.parseInt(args[3]);
    int clients = Integer.parseInt(args[4]);
    Configuration conf = LambdaSettings.create();
    HBaseSchema schema = new HBaseSchema(conf);
    try (Connection connection = ConnectionFactory.createConnection(conf)) {
      BatchPointer pointer = new MetaStore(connection, schema).read();
      if (pointer == null) {
        throw new IllegalStateException("no batch version is served; run load first");
      }
      List<Lookup> lookups = keyDays(connection, schema, pointer, view);
      long keys = lookups.stream().map(Lookup::key).distinct().count();
      System.out.printf("version %s: %d keys of %s minute data, %d (key, day) pairs%n",
          pointer.version(), keys, view, lookups.size());
      Call api = l -> {
        // HttpURLConnection keeps connections alive per thread and costs the client little.
        URL q = new URL(base + "/v1/views/" + view + "/minute?from=" + l.day() + "&to=" + (l.day() + 86_400_000L)
            + "&" + dimension + "=" + URLEncoder.encode(l.key(), StandardCharsets.UTF_8));
        HttpURLConnection c = (HttpURLConnection) q.openConnection();
        int status = c.getResponseCode();
        try (InputStream in = status == 200 ? c.getInputStream() : c.getErrorStream()) {
          in.readAllBytes();
        }
        if (status != 200) {
          throw new IllegalStateException("HTTP " + status + " for " + q);
        }
      };
      Table table = connection.getTable(schema.versionTable(pointer.version()));
      Call raw = l -> {
        Scan scan = new Scan()
            .withStartRow(RowKeyCodec.seriesStart(view, List.of(l.key()), Granularity.MINUTE, l.day()))
            .withStopRow(RowKeyCodec.seriesStop(view, List.of(l.key()), Granularity.MINUTE, l.day() + 86_400_000L))
            .addFamily(HBaseSchema.VIEW_FAMILY).setCaching(1000).setLimit(1440).setReadType(Scan.ReadType.PREAD);
        try (ResultScanner scanner = table.getScanner(scan)) {
          for (org.apache.hadoop.hbase.client.Result row : scanner) {
            row.getRow();
          }
        }
      };
      if (Boolean.getBoolean("bench.multikey-only")) { // profiling the multi-key path alone
        multiKey(base, view, dimension, lookups, Math.max(5, seconds / 2), table);
        table.close();
        return;
      }
      // Warm both paths up (JIT, connections, block cache) until each is steady before measuring.
      // The API's path (Jetty, the HBase client, Jackson) takes 30-60 s to compile on two busy cores:
      // measured cold, a third of the API's CPU went to the JIT compiler threads.
      warmUp("api", clients, lookups, api);
      warmUp("hbase", clients, lookups, raw);
      System.out.println("saturated: each client sends its next lookup as soon as the last returns");
      Result apiResult = run("api", seconds, clients, lookups, api, 0);
      Result rawResult = run("hbase", seconds, clients, lookups, raw, 0);
      System.out.printf("p99 ratio api/hbase: %.2f (target <= 2.0); p50 ratio %.2f%n",
          apiResult.p99Millis() / rawResult.p99Millis(), apiResult.p50Millis() / rawResult.p50Millis());
      double paced = Math.max(50, apiResult.throughput() / 2);
      System.out.printf("paced: the same %d clients at %.0f lookups/s in all (half the API's saturated rate)%n",
          clients, paced);
      Result apiPaced = run("api", seconds, clients, lookups, api, paced);
      Result rawPaced = run("hbase", seconds, clients, lookups, raw, paced);
      System.out.printf("paced p99 ratio api/hbase: %.2f; p50 ratio %.2f%n",
          apiPaced.p99Millis() / rawPaced.p99Millis(), apiPaced.p50Millis() / rawPaced.p50Millis());
      multiKey(base, view, dimension, lookups, Math.max(5, seconds / 2), table);
      table.close();
    }
  }

  /**
   * 100 keys of one day in one POST .../lookup against the same 100 keys as 100 GETs, one
   * client, one after the other, for {@code 2 × seconds} unmeasured, then {@code 2 × seconds}
   * measured: the time per 100 keys and the ratio (target >= 10). The two ask for ranges 1 ms
   * apart (the same minute rows), so the cache favours neither. The answers are checked to hold
   * the same rows.
   */
  private static void multiKey(URI base, String view, String dimension, List<Lookup> lookups, int seconds,
                               Table table) throws Exception {
    java.util.Map<Long, List<String>> byDay = new java.util.TreeMap<>();
    for (Lookup l : lookups) {
      byDay.computeIfAbsent(l.day(), d -> new ArrayList<>()).add(l.key());
    }
    List<Long> days = byDay.entrySet().stream().filter(e -> e.getValue().size() >= 100).map(java.util.Map.Entry::getKey)
        .toList();
    if (days.isEmpty()) {
      System.out.println("multi-key: no day has 100 keys; skipped");
      return;
    }
    SplittableRandom random = new SplittableRandom(100);
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    // Warm-up (the POST path has not run before), then measured. The GETs ask for a range 1 ms
    // shorter than the POST's (the same rows), so neither is answered from the other's cache entries.
    for (boolean measured : new boolean[] {false, true}) {
      long singleNanos = 0;
      long multiNanos = 0;
      int rounds = 0;
      long singleRows = 0;
      long multiRows = 0;
      long rawSingleNanos = 0;
      long rawMultiNanos = 0;
      long rawSingleRows = 0;
      long rawMultiRows = 0;
      long[] multiEach = new long[64];
      long deadline = System.nanoTime() + 2L * seconds * 1_000_000_000L;
      while (System.nanoTime() < deadline || rounds < 3) {
        long day = days.get(random.nextInt(days.size()));
        List<String> keys = new ArrayList<>(byDay.get(day));
        java.util.Collections.shuffle(keys, new java.util.Random(random.nextLong()));
        keys = keys.subList(0, 100);
        long t0 = System.nanoTime();
        com.fasterxml.jackson.databind.node.ObjectNode body = json.createObjectNode().put("from", Long.toString(day))
            .put("to", Long.toString(day + 86_400_000L));
        com.fasterxml.jackson.databind.node.ArrayNode keysNode = body.putArray("keys");
        keys.forEach(k -> keysNode.addObject().put(dimension, k));
        HttpURLConnection c = (HttpURLConnection) new URL(base + "/v1/views/" + view + "/minute/lookup")
            .openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        c.getOutputStream().write(json.writeValueAsBytes(body));
        if (c.getResponseCode() != 200) {
          throw new IllegalStateException("multi-key lookup: HTTP " + c.getResponseCode());
        }
        try (InputStream in = c.getInputStream()) {
          multiRows += countRows(json, in);
        }
        long t1 = System.nanoTime();
        for (String k : keys) {
          // 1 ms short of the POST's end: the same minute rows, another cache entry, so neither
          // side is answered from what the other one read.
          URL q = new URL(base + "/v1/views/" + view + "/minute?from=" + day + "&to=" + (day + 86_399_999L)
              + "&" + dimension + "=" + URLEncoder.encode(k, StandardCharsets.UTF_8));
          HttpURLConnection g = (HttpURLConnection) q.openConnection();
          try (InputStream in = g.getInputStream()) {
            singleRows += countRows(json, in);
          }
        }
        long t2 = System.nanoTime();
        // The same 100 ranges read from HBase directly: 100 scans, then one multi-range scan.
        List<org.apache.hadoop.hbase.filter.MultiRowRangeFilter.RowRange> ranges = new ArrayList<>();
        for (String k : keys) {
          byte[] start = RowKeyCodec.seriesStart(view, List.of(k), Granularity.MINUTE, day);
          byte[] stop = RowKeyCodec.seriesStop(view, List.of(k), Granularity.MINUTE, day + 86_400_000L);
          ranges.add(new org.apache.hadoop.hbase.filter.MultiRowRangeFilter.RowRange(start, true, stop, false));
          try (ResultScanner scanner = table.getScanner(new Scan().withStartRow(start).withStopRow(stop)
              .addFamily(HBaseSchema.VIEW_FAMILY).setCaching(1000).setLimit(1440).setReadType(Scan.ReadType.PREAD))) {
            for (org.apache.hadoop.hbase.client.Result row : scanner) {
              rawSingleRows++;
            }
          }
        }
        long t3 = System.nanoTime();
        org.apache.hadoop.hbase.filter.MultiRowRangeFilter filter =
            new org.apache.hadoop.hbase.filter.MultiRowRangeFilter(ranges);
        try (ResultScanner scanner = table.getScanner(new Scan().withStartRow(filter.getRowRanges().get(0).getStartRow())
            .withStopRow(filter.getRowRanges().get(filter.getRowRanges().size() - 1).getStopRow())
            .setFilter(filter).addFamily(HBaseSchema.VIEW_FAMILY).setCaching(1000).setReadType(Scan.ReadType.PREAD))) {
          for (org.apache.hadoop.hbase.client.Result row : scanner) {
            rawMultiRows++;
          }
        }
        long t4 = System.nanoTime();
        rawSingleNanos += t3 - t2;
        rawMultiNanos += t4 - t3;
        multiNanos += t1 - t0;
        singleNanos += t2 - t1;
        if (rounds == multiEach.length) {
          multiEach = Arrays.copyOf(multiEach, 2 * rounds);
        }
        multiEach[rounds++] = t1 - t0;
      }
      if (singleRows != multiRows || rawSingleRows != multiRows || rawMultiRows != multiRows) {
        throw new IllegalStateException("multi-key lookups found " + multiRows + " rows, single lookups " + singleRows
            + ", raw scans " + rawSingleRows + ", raw multi-range scans " + rawMultiRows);
      }
      if (!measured) {
        continue;
      }
      long[] sorted = Arrays.copyOf(multiEach, rounds);
      Arrays.sort(sorted);
      System.out.printf("multi-key: %d rounds of 100 keys of one day (%,d rows in all), one client: 100 GETs %.1f ms, "
          + "one 100-key POST %.1f ms (median %.1f, max %.1f): %.1fx faster (target >= 10)%n", rounds, multiRows,
          singleNanos / 1e6 / rounds, multiNanos / 1e6 / rounds, sorted[rounds / 2] / 1e6, sorted[rounds - 1] / 1e6,
          (double) singleNanos / multiNanos);
      System.out.printf("multi-key, raw HBase (the floor): 100 scans %.1f ms, one multi-range scan %.1f ms: %.1fx%n",
          rawSingleNanos / 1e6 / rounds, rawMultiNanos / 1e6 / rounds, (double) rawSingleNanos / rawMultiNanos);
    }
  }

  /**
   * The rows of a lookup's answer (one key's or many keys'): every token of it parsed, as a
   * front end's parser would, counting the objects of its {@code rows} arrays, without building
   * a tree of it. A tree of a 100-key answer cost the client as much as the API's rendering, and
   * its garbage the client's GC pauses, on both sides of the comparison.
   */
  private static long countRows(com.fasterxml.jackson.databind.ObjectMapper json, InputStream in) throws IOException {
    long rows = 0;
    int depth = 0;
    int rowsDepth = -1; // the depth inside a rows array, or -1
    try (com.fasterxml.jackson.core.JsonParser p = json.getFactory().createParser(in)) {
      com.fasterxml.jackson.core.JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == com.fasterxml.jackson.core.JsonToken.START_OBJECT || t == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
          if (t == com.fasterxml.jackson.core.JsonToken.START_OBJECT && depth == rowsDepth) {
            rows++;
          }
          if (t == com.fasterxml.jackson.core.JsonToken.START_ARRAY && "rows".equals(p.currentName())) {
            rowsDepth = depth + 1;
          }
          depth++;
        } else if (t == com.fasterxml.jackson.core.JsonToken.END_OBJECT
            || t == com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
          depth--;
          if (depth < rowsDepth) {
            rowsDepth = -1;
          }
        }
      }
    }
    return rows;
  }

  /** Every (key, day) with minute rows: one pass over the version table's first cells. */
  private static List<Lookup> keyDays(Connection connection, HBaseSchema schema, BatchPointer pointer, String view)
      throws Exception {
    List<Lookup> lookups = new ArrayList<>();
    String lastKey = null;
    long lastDay = Long.MIN_VALUE;
    try (Table table = connection.getTable(schema.versionTable(pointer.version()));
         ResultScanner scanner = table.getScanner(new Scan().setFilter(new FirstKeyOnlyFilter()).setCaching(5000))) {
      for (org.apache.hadoop.hbase.client.Result r : scanner) {
        ViewKey key = RowKeyCodec.decode(r.getRow());
        if (!key.view().equals(view) || key.granularity() != Granularity.MINUTE || key.dimensions().size() != 1
            || key.dimensions().get(0) == null) {
          continue;
        }
        long day = Granularity.DAY.bucketStart(key.bucketStart());
        String k = key.dimensions().get(0);
        if (!k.equals(lastKey) || day != lastDay) {
          lookups.add(new Lookup(k, day));
          lastKey = k;
          lastDay = day;
        }
      }
    }
    if (lookups.isEmpty()) {
      throw new IllegalStateException("no minute rows of a one-dimension view '" + view + "'");
    }
    return lookups;
  }

  /**
   * Saturated rounds of {@link #WARMUP_ROUND_SECONDS} until one's throughput is within 10% of the
   * round before (steady: the JIT has compiled the path), at least two, at most
   * {@link #WARMUP_MAX_ROUNDS}; each round is printed.
   */
  private static void warmUp(String name, int clients, List<Lookup> lookups, Call call) throws Exception {
    double before = 0;
    for (int round = 1; round <= WARMUP_MAX_ROUNDS; round++) {
      double now = run("warmup " + name, WARMUP_ROUND_SECONDS, clients, lookups, call, 0).throughput();
      if (round >= 2 && Math.abs(now - before) <= 0.10 * Math.max(now, before)) {
        return;
      }
      before = now;
    }
    System.out.printf("warmup %s: not steady after %d rounds; measuring anyway%n", name, WARMUP_MAX_ROUNDS);
  }

  private interface Call {
    void run(Lookup lookup) throws Exception;
  }

  private record Result(double p50Millis, double p99Millis, double throughput) {}

  /** Runs {@code clients} threads for {@code seconds}; {@code rate} > 0 paces them to that many calls/s in all. */
  private static Result run(String name, int seconds, int clients, List<Lookup> lookups, Call call, double rate)
      throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong errors = new AtomicLong();
    List<long[]> perThread = new ArrayList<>(java.util.Collections.nCopies(clients, (long[]) null));
    List<Thread> threads = new ArrayList<>();
    int[] counts = new int[clients];
    for (int c = 0; c < clients; c++) {
      int id = c;
      Thread t = new Thread(() -> {
        // Grown as needed: 32 fixed arrays of millions of entries filled the client's heap and its GC.
        long[] latencies = new long[4096];
        SplittableRandom random = new SplittableRandom(1000 + id);
        int n = 0;
        long interval = rate > 0 ? (long) (clients * 1e9 / rate) : 0;
        long next = System.nanoTime() + (interval > 0 ? random.nextLong(interval) : 0);
        while (System.nanoTime() < deadline) {
          if (interval > 0) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
              java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            next += interval;
          }
          Lookup l = lookups.get(random.nextInt(lookups.size()));
          long t0 = System.nanoTime();
          try {
            call.run(l);
            if (n == latencies.length) {
              latencies = Arrays.copyOf(latencies, 2 * n);
            }
            latencies[n++] = System.nanoTime() - t0;
          } catch (Exception e) {
            if (errors.incrementAndGet() < 5) {
              System.err.println(name + ": " + e);
            }
          }
        }
        counts[id] = n;
        perThread.set(id, latencies);
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int c = 0; c < clients; c++) {
      System.arraycopy(perThread.get(c), 0, all, at, counts[c]);
      at += counts[c];
    }
    Arrays.sort(all);
    double p50 = all.length == 0 ? Double.NaN : all[(int) (all.length * 0.50)] / 1e6;
    double p99 = all.length == 0 ? Double.NaN : all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1e6;
    System.out.printf("%-12s %d clients, %d s: %,d lookups, %.0f lookups/s, p50 %.2f ms, p99 %.2f ms, %d errors%n",
        name, clients, seconds, total, total / (double) seconds, p50, p99, errors.get());
    return new Result(p50, p99, total / (double) seconds);
  }
}
