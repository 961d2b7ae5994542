package org.lambdadist.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hbase.HBaseTestingUtility;
import org.apache.hadoop.hbase.StartMiniClusterOption;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.codec.RowKeyCodec;
import org.lambdadist.core.generate.ClickstreamGenerator;
import org.lambdadist.core.testing.ClickstreamViews;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewKey;
import org.lambdadist.serving.client.ServingClient;
import org.lambdadist.serving.client.ServingException;
import org.lambdadist.serving.http.ServingApi;
import org.lambdadist.serving.http.ServingServer;
import org.lambdadist.serving.query.QueryMain;
import org.lambdadist.storage.hbase.HBaseSchema;

/**
 * The serving layer on an in-process HBase (one for the class): aggregate → load → HTTP
 * lookups equal export; a second load flips while lookups run, never a mixed answer; rollback;
 * a load that dies before its flip changes nothing served; realtime cells merge after the batch
 * coverage; every API error; 503 while HBase is down and recovery after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServingIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DAY_FROM = "2026-11-01T00:00:00Z";
  private static final String DAY_TO = "2026-11-06T00:00:00Z";

  private HBaseTestingUtility hbase;
  private BatchHarness batch;
  private ServingServer server;
  private URI base;
  private java.nio.file.Path tmp;
  private final HttpClient http = HttpClient.newHttpClient();
  private ViewCatalog catalog;

  @BeforeAll
  void start(@TempDir java.nio.file.Path dir) throws Exception {
    tmp = dir;
    hbase = MiniHBase.start(dir);

    Configuration conf = new Configuration(hbase.getConfiguration());
    conf.addResource("lambda-default.xml");
    conf.set("fs.defaultFS", "file:///");
    conf.set("lambda.root", new Path(dir.resolve("root").toUri()).toString());
    conf.set("lambda.views.file", ClickstreamViews.confDir().resolve("views.json").toString());
    conf.set("hbase.fs.tmp.dir", dir.resolve("hbase-staging").toUri().toString());
    // One region per salt (the default on one server is 2): multi-key lookups run 16 scans at once.
    conf.setInt("lambda.hbase.regions", 16);
    batch = new BatchHarness(conf);
    catalog = ClickstreamViews.catalog();

    importEpoch(5_000, 31);
    assertEquals(0, batch.aggregate().exitCode());
    BatchHarness.Run attributed = batch.run(new org.lambdadist.batch.attribution.AttributeTool());
    assertEquals(0, attributed.exitCode(), attributed.err());
    BatchHarness.Run r = batch.load();
    assertEquals(0, r.exitCode(), r.err());

    Configuration serving = new Configuration(conf);
    serving.setInt("lambda.serving.deadline-ms", 8_000);
    server = new ServingServer(new ServingApi(serving, catalog, Clock.systemUTC()), "127.0.0.1", 0);
    server.start();
    base = URI.create("http://127.0.0.1:" + server.port());
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (hbase != null) {
      hbase.shutdownMiniHBaseCluster();
      hbase.shutdownMiniZKCluster();
    }
  }

  private void importEpoch(int events, long seed) throws Exception {
    List<String> lines = new ArrayList<>();
    new ClickstreamGenerator(ClickstreamGenerator.Settings.defaults(events, seed)).forEachRemaining(lines::add);
    Path file = new Path(tmp.resolve("in-" + seed + ".jsonl").toUri());
    batch.write(file, lines.iterator());
    assertEquals(0, batch.importFiles(file.toString()).exitCode());
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return get(base, pathAndQuery, null);
  }

  private HttpResponse<String> get(URI at, String pathAndQuery, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(at.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Export rows of a view/granularity grouped by their key (as JSON text). */
  private Map<String, List<JsonNode>> exportByKey(String view, String granularity) throws Exception {
    Path out = new Path(tmp.resolve("export-" + System.nanoTime() + ".jsonl").toUri());
    BatchHarness.Run r = batch.export("--view", view, "--granularity", granularity, "--output", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    Map<String, List<JsonNode>> byKey = new LinkedHashMap<>();
    for (String line : batch.readLines(out)) {
      JsonNode n = JSON.readTree(line);
      byKey.computeIfAbsent(n.get("key").toString(), k -> new ArrayList<>()).add(n);
    }
    return byKey;
  }

  private static String query(JsonNode key, String from, String to) {
    StringBuilder q = new StringBuilder("from=" + from + "&to=" + to);
    key.fields().forEachRemaining(e -> q.append(e.getValue().isNull()
        ? "&null=" + enc(e.getKey()) : "&" + enc(e.getKey()) + "=" + enc(e.getValue().asText())));
    return q.toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  @Order(0)
  void lookupsEqualExportForEveryKey() throws Exception {
    for (String[] vg : new String[][] {{"campaign_traffic", "day"}, {"orders_by_country", "day"}, {"page_traffic", "hour"}}) {
      for (Map.Entry<String, List<JsonNode>> key : exportByKey(vg[0], vg[1]).entrySet()) {
        JsonNode k = key.getValue().get(0).get("key");
        HttpResponse<String> resp = get("/v1/views/" + vg[0] + "/" + vg[1] + "?" + query(k, DAY_FROM, DAY_TO));
        assertEquals(200, resp.statusCode(), resp.body());
        JsonNode answer = JSON.readTree(resp.body());
        ArrayNode expected = JSON.createArrayNode();
        key.getValue().forEach(expected::add);
        assertEquals(expected, answer.get("rows"), vg[0] + " " + k);
        assertEquals(1, answer.get("coverage").get("batch_epochs").get("last").asLong());
      }
    }
    // Every key of a view in one multi-key lookup: the same rows as the export, key by key.
    for (String[] vg : new String[][] {{"campaign_traffic", "day"}, {"page_traffic", "hour"}}) {
      Map<String, List<JsonNode>> byKey = exportByKey(vg[0], vg[1]);
      com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode().put("from", DAY_FROM).put("to", DAY_TO);
      ArrayNode keys = body.putArray("keys");
      byKey.values().forEach(rows -> keys.add(rows.get(0).get("key")));
      keys.addObject().put("nope", "x");
      HttpResponse<String> resp = http.send(HttpRequest.newBuilder(base.resolve("/v1/views/" + vg[0] + "/" + vg[1]
          + "/lookup")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
          body.toString())).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, resp.statusCode(), resp.body());
      JsonNode results = JSON.readTree(resp.body()).get("results");
      assertEquals(byKey.size() + 1, results.size());
      int i = 0;
      for (List<JsonNode> rows : byKey.values()) {
        ArrayNode expected = JSON.createArrayNode();
        rows.forEach(expected::add);
        assertEquals(expected, results.get(i).get("rows"), vg[0] + " " + rows.get(0).get("key"));
        assertEquals(rows.get(0).get("key"), results.get(i++).get("key"));
      }
      assertTrue(results.get(i).get("error").asText().contains("unknown dimension 'nope'"), results.get(i).toString());
    }

    // A sub-range of minutes: only buckets whose start is in [from, to).
    Map<String, List<JsonNode>> minutes = exportByKey("page_traffic", "minute");
    List<JsonNode> rows = minutes.values().iterator().next();
    JsonNode k = rows.get(0).get("key");
    String from = rows.get(1).get("bucket").asText();
    String to = rows.get(3).get("bucket").asText();
    JsonNode answer = JSON.readTree(get("/v1/views/page_traffic/minute?" + query(k, from, to)).body());
    assertEquals(2, answer.get("rows").size());
    assertEquals(rows.get(1), answer.get("rows").get(0));

    ServingClient client = new ServingClient(base);
    Map<String, String> dims = new LinkedHashMap<>();
    dims.put("page", k.get("page").asText());
    ServingClient.Lookup lookup = client.lookup("page_traffic", "minute", Instant.parse(from), Instant.parse(to), dims);
    assertEquals(2, lookup.rows().size());
    assertEquals(rows.get(1).get("metrics").get("views").asLong(), lookup.rows().get(0).metrics().get("views"));
    ServingClient.Lookups many = client.lookup("page_traffic", "minute", Instant.parse(from), Instant.parse(to),
        List.of(dims, Map.of("page", "/no-such-page"), Map.of("pgae", "/typo")));
    assertEquals(lookup.rows(), many.results().get(0).rows());
    assertTrue(many.results().get(1).ok());
    assertEquals(0, many.results().get(1).rows().size());
    assertFalse(many.results().get(2).ok());
    assertTrue(many.results().get(2).error().contains("unknown dimension 'pgae'"), many.results().get(2).error());
    assertEquals(4, client.views().get("views").size());
    assertEquals("ok", client.status().get("status").asText());
  }

  @Test
  @Order(1)
  void attributionIsServedByChannelAndCampaignAsExported() throws Exception {
    for (String model : List.of("linear", "markov", "last_non_direct")) {
      Path out = new Path(tmp.resolve("attr-" + model + ".jsonl").toUri());
      assertEquals(0, batch.export("--attribution", model, "--output", out.toString()).exitCode());
      Map<String, double[]> byChannel = new java.util.TreeMap<>();
      Map<String, double[]> byCampaign = new java.util.TreeMap<>();
      String from = null;
      String to = null;
      for (String line : batch.readLines(out)) {
        JsonNode n = JSON.readTree(line);
        String day = n.get("day").asText();
        from = from == null || day.compareTo(from) < 0 ? day : from;
        to = to == null || day.compareTo(to) > 0 ? day : to;
        double[] c = byChannel.computeIfAbsent(n.get("channel").asText(), k -> new double[2]);
        c[0] += n.get("conversions").asDouble();
        c[1] += n.get("revenue").asDouble();
        double[] k = byCampaign.computeIfAbsent(n.get("channel").asText() + "/" + n.get("campaign").asText(), x -> new double[2]);
        k[0] += n.get("conversions").asDouble();
      }
      JsonNode answer = JSON.readTree(get("/v1/attribution/" + model + "?from=" + from + "&to=" + to + "&by=channel").body());
      assertEquals(byChannel.size(), answer.get("rows").size(), answer.toString());
      for (JsonNode row : answer.get("rows")) {
        double[] e = byChannel.get(row.get("channel").asText());
        assertEquals(e[0], row.get("conversions").asDouble(), 1e-9);
        assertEquals(e[1], row.get("revenue").asDouble(), 1e-6);
      }
      JsonNode campaigns = JSON.readTree(get("/v1/attribution/" + model + "?from=" + from + "&to=" + to + "&by=campaign").body());
      assertEquals(byCampaign.size(), campaigns.get("rows").size());
    }
    JsonNode compare = new ServingClient(base).attribution("compare", java.time.LocalDate.parse("2026-11-01"),
        java.time.LocalDate.parse("2026-11-30"), "channel");
    assertEquals(7, compare.get("models").size());
    double linear = 0;
    for (JsonNode row : compare.get("models").get("linear")) {
      linear += row.get("conversions").asDouble();
    }
    double first = 0;
    for (JsonNode row : compare.get("models").get("first_touch")) {
      first += row.get("conversions").asDouble();
    }
    assertEquals(linear, first, 1e-6, "every model credits the same conversions");
    assertEquals(404, get("/v1/attribution/nope?from=2026-11-01&to=2026-11-02").statusCode());
    assertEquals(400, get("/v1/attribution/linear?from=2026-11-03&to=2026-11-02").statusCode());
    assertEquals(400, get("/v1/attribution/linear?from=2026-11-01&to=2026-11-02&by=device").statusCode());
    assertEquals(400, get("/v1/attribution/linear?from=yesterday&to=2026-11-02").statusCode());
    assertEquals(400, get("/v1/attribution/linear?to=2026-11-02").statusCode());
  }

  /** What one {@code lambda query} printed and returned. */
  private record QueryRun(int exit, String out, String err) {}

  private QueryRun lambdaQuery(boolean terminal, List<String> args) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    QueryMain query = new QueryMain(new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
        new java.io.PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC(), terminal);
    query.setConf(new Configuration(false));
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--api", base.toString()));
    int exit = query.run(all.toArray(new String[0]));
    return new QueryRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * {@code lambda query} against this API: its JSON is the API's answer byte for byte (one key,
   * several keys, the views), its table holds every exported row with each metric, and an API
   * error is exit code 1 with the API's message. Reads only, like the attribution test of the
   * same order.
   */
  @Test
  @Order(1)
  void lambdaQueryPrintsTheApisAnswersAndTablesOfThem() throws Exception {
    Map<String, List<JsonNode>> byKey = exportByKey("campaign_traffic", "day");
    java.util.Iterator<List<JsonNode>> exported = byKey.values().iterator();
    List<JsonNode> rows = exported.next();
    JsonNode k = rows.get(0).get("key");
    List<String> lookup = new ArrayList<>(List.of("campaign_traffic", "day", "--from", DAY_FROM, "--to", DAY_TO));
    k.fields().forEachRemaining(d -> lookup.addAll(d.getValue().isNull() ? List.of("--null", d.getKey())
        : List.of(d.getKey() + "=" + d.getValue().asText())));

    QueryRun json = lambdaQuery(false, lookup);
    assertEquals(0, json.exit(), json.err());
    assertEquals(get("/v1/views/campaign_traffic/day?" + query(k, DAY_FROM, DAY_TO)).body() + "\n", json.out());

    // The same through the entry script and the serving jar, as a user runs it: stdout is the answer alone.
    java.nio.file.Path home = java.nio.file.Paths.get(System.getProperty("user.dir")).getParent();
    List<String> script = new ArrayList<>(List.of("bash", home.resolve("scripts/lambda").toString(), "query"));
    script.addAll(lookup);
    script.addAll(List.of("--api", base.toString()));
    java.nio.file.Path scriptErr = tmp.resolve("query.err");
    ProcessBuilder pb = new ProcessBuilder(script).redirectError(scriptErr.toFile());
    pb.environment().put("LAMBDA_LOG_DIR", tmp.resolve("query-logs").toString());
    Process p = pb.start();
    String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), printed + java.nio.file.Files.readString(scriptErr));
    assertEquals(json.out(), printed, "not a terminal: JSON, as the API answered");

    QueryRun table = lambdaQuery(true, lookup);
    assertEquals(0, table.exit(), table.err());
    String[] lines = table.out().split("\n");
    List<String> metrics = new ArrayList<>();
    rows.get(0).get("metrics").fieldNames().forEachRemaining(metrics::add);
    assertEquals("bucket " + String.join(" ", metrics), lines[1].trim().replaceAll(" +", " "), table.out());
    assertEquals(rows.size() + 3, lines.length, table.out());
    for (int i = 0; i < rows.size(); i++) {
      List<String> expected = new ArrayList<>(List.of(rows.get(i).get("bucket").asText()));
      rows.get(i).get("metrics").forEach(m -> expected.add(m.isNull() ? "-" : m.asText()));
      assertEquals(expected, List.of(lines[i + 2].trim().split(" +")), table.out());
    }
    assertTrue(lines[lines.length - 1].startsWith("batch version "), table.out());

    // Two keys (as JSON objects: values as they are, nulls included) and a refused one, in one request.
    JsonNode k2 = exported.next().get(0).get("key");
    List<String> lookups = new ArrayList<>(List.of("campaign_traffic", "day", "--from", DAY_FROM, "--to", DAY_TO,
        "--key", k.toString(), "--key", k2.toString()));
    QueryRun many = lambdaQuery(true, append(lookups, "--json"));
    assertEquals(0, many.exit(), many.err());
    String body = JSON.createObjectNode().put("from", DAY_FROM).put("to", DAY_TO).set("keys",
        JSON.createArrayNode().add(k).add(k2)).toString();
    HttpResponse<String> direct = http.send(HttpRequest.newBuilder(base.resolve("/v1/views/campaign_traffic/day/lookup"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, direct.statusCode(), direct.body());
    assertEquals(direct.body() + "\n", many.out());
    QueryRun refused = lambdaQuery(false, append(lookups, "--key", "nope=x"));
    assertEquals(1, refused.exit());
    JsonNode answered = JSON.readTree(refused.out()).get("results");
    assertEquals(JSON.readTree(direct.body()).get("results").get(0), answered.get(0));
    assertEquals(JSON.readTree(direct.body()).get("results").get(1), answered.get(1));
    assertTrue(answered.get(2).get("error").asText().contains("unknown dimension 'nope'"), answered.toString());
    assertTrue(refused.err().contains("key nope=x refused: unknown dimension 'nope'"), refused.err());

    QueryRun views = lambdaQuery(false, List.of("views"));
    assertEquals(get("/v1/views").body() + "\n", views.out());
    QueryRun unknown = lambdaQuery(false, List.of("nope", "day", "--from", DAY_FROM, "--to", DAY_TO, "a=b"));
    assertEquals(1, unknown.exit());
    assertTrue(unknown.err().startsWith("lambda query: the API answered 404: unknown view 'nope'"), unknown.err());
  }

  private static List<String> append(List<String> args, String... more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of(more));
    return all;
  }

  @Test
  @Order(2)
  void realtimeCellsAfterTheBatchCoverageAreMerged() throws Exception {
    Map<String, List<JsonNode>> byKey = exportByKey("events_by_type", "day");
    JsonNode row = byKey.values().iterator().next().get(0);
    String type = row.get("key").get("type").asText();
    long bucket = Instant.parse(row.get("bucket").asText()).toEpochMilli();
    byte[] rowKey = RowKeyCodec.encode(new ViewKey("events_by_type", List.of(type), Granularity.DAY, bucket));
    RowAggregate cell = RowAggregate.zero(catalog.view("events_by_type").metrics());
    for (int i = 0; i < 7; i++) {
      cell.state(0).add(Boolean.TRUE);
      cell.state(1).add("realtime-user-" + i);
    }
    HBaseSchema schema = new HBaseSchema(batch.conf());
    try (Connection c = ConnectionFactory.createConnection(batch.conf()); Table t = c.getTable(schema.realtime())) {
      new org.lambdadist.storage.hbase.MetaStore(c, schema).markRealtimeEpoch(2);
      Put put = new Put(rowKey);
      put.addColumn(HBaseSchema.REALTIME_FAMILY, RowKeyCodec.epochQualifier(1), RowAggregateCodec.encode(cell)); // covered: ignored
      put.addColumn(HBaseSchema.REALTIME_FAMILY, RowKeyCodec.epochQualifier(2), RowAggregateCodec.encode(cell)); // after: merged
      t.put(put);
    }
    Thread.sleep(1_200); // the serving layer rereads meta every lambda.serving.meta-cache-ms
    JsonNode answer = JSON.readTree(get("/v1/views/events_by_type/day?" + query(row.get("key"), DAY_FROM, DAY_TO)).body());
    JsonNode merged = answer.get("rows").get(0);
    assertEquals(row.get("metrics").get("events").asLong() + 7, merged.get("metrics").get("events").asLong());
    assertEquals(row.get("metrics").get("users").asLong() + 7, merged.get("metrics").get("users").asLong(), 1.0);
    assertEquals("[2]", answer.get("coverage").get("speed_epochs").toString());
    // The same merge when the key is one of many (one realtime scan for all of them).
    List<Map<String, String>> keys = new ArrayList<>();
    for (List<JsonNode> rows : byKey.values()) {
      keys.add(Map.of("type", rows.get(0).get("key").get("type").asText()));
    }
    ServingClient.Lookups many = new ServingClient(base).lookup("events_by_type", "day", Instant.parse(DAY_FROM),
        Instant.parse(DAY_TO), keys);
    for (int i = 0; i < keys.size(); i++) {
      ServingClient.Lookup one = new ServingClient(base).lookup("events_by_type", "day", Instant.parse(DAY_FROM),
          Instant.parse(DAY_TO), keys.get(i));
      assertEquals(one.rows(), many.results().get(i).rows(), keys.get(i).toString());
    }
    assertEquals("[2]", many.coverage().get("speed_epochs").toString());
    // No key to read (none asked, or every one refused) while realtime cells are newer: an answer, not a 500.
    ServingClient.Lookups none = new ServingClient(base).lookup("events_by_type", "day", Instant.parse(DAY_FROM),
        Instant.parse(DAY_TO), List.of());
    assertEquals(0, none.results().size());
    ServingClient.Lookups refused = new ServingClient(base).lookup("events_by_type", "day", Instant.parse(DAY_FROM),
        Instant.parse(DAY_TO), List.of(Map.of("typo", "click")));
    assertFalse(refused.results().get(0).ok());
    try (Connection c = ConnectionFactory.createConnection(batch.conf()); Table t = c.getTable(schema.realtime())) {
      t.delete(new org.apache.hadoop.hbase.client.Delete(rowKey));
    }
  }

  /**
   * The dashboard in a real browser (Debian's Chromium): it loads with no console error, no
   * failed load and no policy violation; the chart draws; and the numbers it shows are the
   * API's own (the stack's state, a minute series with its realtime part, every attribution
   * model by channel). The API page renders every operation of /v1/openapi.json. A screenshot
   * of each page is left in target/ for people to look at.
   */
  @Test
  @Order(3)
  void theDashboardShowsTheApisNumbersInARealBrowser() throws Exception {
    java.nio.file.Path chromium = HeadlessChromium.binary();
    if (chromium == null && Boolean.getBoolean("lambda.it.skip-browser")) {
      org.junit.jupiter.api.Assumptions.abort("no Chromium and -Dlambda.it.skip-browser=true");
    }
    assertTrue(chromium != null, "the dashboard test needs Debian's Chromium (apt-get install chromium; .ci/run "
        + "installs it), or -Dlambda.it.chromium=PATH; -Dlambda.it.skip-browser=true skips it");
    // A minute of one key with data, and a realtime cell (7 events) in a later minute of it.
    Map<String, List<JsonNode>> byKey = exportByKey("events_by_type", "minute");
    JsonNode first = byKey.values().iterator().next().get(0);
    String type = first.get("key").get("type").asText();
    long bucket = Instant.parse(first.get("bucket").asText()).toEpochMilli();
    String from = Instant.ofEpochMilli(bucket - 3_600_000L).toString();
    String to = Instant.ofEpochMilli(bucket + 3_600_000L).toString();
    long realtimeBucket = bucket + 30 * 60_000L;
    byte[] rowKey = RowKeyCodec.encode(new ViewKey("events_by_type", List.of(type), Granularity.MINUTE, realtimeBucket));
    RowAggregate cell = RowAggregate.zero(catalog.view("events_by_type").metrics());
    for (int i = 0; i < 7; i++) {
      cell.state(0).add(Boolean.TRUE);
      cell.state(1).add("dashboard-user-" + i);
    }
    HBaseSchema schema = new HBaseSchema(batch.conf());
    try (Connection c = ConnectionFactory.createConnection(batch.conf()); Table t = c.getTable(schema.realtime())) {
      new org.lambdadist.storage.hbase.MetaStore(c, schema).markRealtimeEpoch(2);
      t.put(new Put(rowKey).addColumn(HBaseSchema.REALTIME_FAMILY, RowKeyCodec.epochQualifier(2),
          RowAggregateCodec.encode(cell)));
      // A cycle's report and a reconciliation, as the cycle records them.
      new org.lambdadist.storage.hbase.CycleStore(c, schema).record(org.lambdadist.storage.hbase.CycleReport
          .started(Instant.parse("2026-11-30T11:00:00Z")).withStep("archive", 1_200).withStep("aggregate", 30_400)
          .withAggregate(1, 2, "v-dashboard").succeeded(Instant.parse("2026-11-30T11:01:00Z"), null));
      new org.lambdadist.storage.hbase.ReconciliationStore(c, schema).write(
          new org.lambdadist.core.reconcile.ReconciliationReport("v-dashboard", List.of(2L), "2026-11-30T11:01:00Z", 640,
              3.0, null, List.of(new org.lambdadist.core.reconcile.ViewReconciliation("events_by_type", 4_160, 2, 1, 0,
                  1L, 0L, List.of(new org.lambdadist.core.reconcile.MetricDifference("events", "count", 2, 0, 1.0))))));
    }
    Thread.sleep(1_200); // the serving layer rereads meta every lambda.serving.meta-cache-ms
    try (HeadlessChromium browser = new HeadlessChromium(chromium, tmp.resolve("chromium"))) {
      browser.open(base.resolve("/?view=events_by_type&granularity=minute&metric=events&type=" + enc(type)
          + "&from=" + from + "&to=" + to + "&attr_from=2026-11-01&attr_to=2026-11-30"));
      browser.waitUntil("the stack, the series, the attribution table and the reconciliation",
          "document.querySelector('[data-field=\"series.total\"]') && document.querySelector('[data-field=\"batch.version\"]')"
          + " && document.querySelector('[data-field^=\"attribution.linear.\"]')"
          + " && document.querySelector('[data-field=\"reconciliation.events_by_type.rows_compared\"]')",
          Duration.ofSeconds(60));
      JsonNode shown = browser.eval("Object.fromEntries([...document.querySelectorAll('[data-field]')]"
          + ".map(e => [e.dataset.field, e.textContent.trim()]))");
      JsonNode exact = browser.eval("Object.fromEntries([...document.querySelectorAll('[data-value]')]"
          + ".map(e => [e.dataset.field, e.dataset.value]))");
      // The stack, as /v1/status says.
      JsonNode status = JSON.readTree(get("/v1/status").body());
      assertEquals(status.get("batch").get("version").asText(), shown.get("batch.version").asText(), shown.toString());
      assertEquals(status.get("epochs").get("last_closed").asText(), shown.get("epochs.last_closed").asText());
      long waiting = status.get("epochs").get("waiting").asLong();
      assertEquals(waiting < 0 ? "—" : Long.toString(waiting), shown.get("epochs.waiting").asText());
      assertEquals("ok", shown.get("cycle.result").asText(), shown.toString());
      assertEquals("4160", shown.get("reconciliation.events_by_type.rows_compared").asText());
      assertEquals("2", shown.get("reconciliation.events_by_type.rows_differing").asText());
      // The series, as the lookup answers it: totals and the realtime part.
      JsonNode lookup = JSON.readTree(get("/v1/views/events_by_type/minute?from=" + from + "&to=" + to + "&type="
          + enc(type) + "&parts=true").body());
      long total = 0;
      long realtime = 0;
      for (JsonNode row : lookup.get("rows")) {
        total += row.get("metrics").get("events").asLong();
        realtime += row.get("realtime").isNull() ? 0 : row.get("realtime").get("events").asLong();
      }
      assertEquals(7, realtime, "the realtime cell is the realtime part: " + lookup);
      assertEquals(Long.toString(total), shown.get("series.total").asText());
      assertEquals("7", shown.get("series.realtime_total").asText());
      assertEquals(Integer.toString(lookup.get("rows").size()), shown.get("series.rows").asText());
      assertEquals("2", shown.get("series.speed_epochs").asText());
      // The chart drew its points: the plot's canvas has painted pixels.
      assertEquals(lookup.get("rows").size(), browser.eval("lambdaDashboard.chart.data[0].length").asInt());
      long painted = browser.eval("(() => { const c = document.querySelector('#chart canvas');"
          + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
          + " for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()").asLong();
      assertTrue(painted > 500, "the chart painted " + painted + " pixels");
      // Every model by channel, as /v1/attribution/compare answers.
      JsonNode compare = JSON.readTree(get("/v1/attribution/compare?from=2026-11-01&to=2026-11-30&by=channel").body());
      int cells = 0;
      for (Iterator<Map.Entry<String, JsonNode>> models = compare.get("models").fields(); models.hasNext(); ) {
        Map.Entry<String, JsonNode> model = models.next();
        for (JsonNode row : model.getValue()) {
          String field = "attribution." + model.getKey() + "." + row.get("channel").asText() + ".conversions";
          assertTrue(exact.has(field) && shown.has(field), field + " is shown: " + shown);
          double conversions = row.get("conversions").asDouble();
          assertEquals(conversions, Double.parseDouble(exact.get(field).asText()), 0.0, field);
          // People see it with at most two decimals, grouped by thousands.
          assertEquals(new java.math.BigDecimal(conversions).setScale(2, java.math.RoundingMode.HALF_EVEN).doubleValue(),
              Double.parseDouble(shown.get(field).asText().replace(",", "")), 0.0051, field);
          cells++;
        }
      }
      assertTrue(cells >= 7, "every model has channels: " + cells);
      browser.screenshot(java.nio.file.Path.of("target", "dashboard.png"));
      assertEquals(List.of(), browser.errors(), "the dashboard reported errors");
      // The API page renders every operation of the document.
      browser.open(base.resolve("/api"));
      JsonNode doc = JSON.readTree(get("/v1/openapi.json").body());
      int operations = 0;
      for (JsonNode path : doc.get("paths")) {
        operations += path.size();
      }
      browser.waitUntil("every operation", "document.querySelectorAll('.opblock').length === " + operations,
          Duration.ofSeconds(60));
      browser.screenshot(java.nio.file.Path.of("target", "api-page.png"));
      assertEquals(List.of(), browser.errors(), "the API page reported errors");
    } finally {
      try (Connection c = ConnectionFactory.createConnection(batch.conf()); Table t = c.getTable(schema.realtime())) {
        t.delete(new org.apache.hadoop.hbase.client.Delete(rowKey));
      }
    }
  }

  @Test
  @Order(4)
  void aSecondLoadFlipsWhileLookupsRunAndRollbackFlipsBack() throws Exception {
    JsonNode key = JSON.readTree("{\"campaign\":null,\"channel\":\"direct\"}");
    String q = "/v1/views/campaign_traffic/day?" + query(key, DAY_FROM, DAY_TO);
    String before = JSON.readTree(get(q).body()).get("rows").toString();
    String versionBefore = JSON.readTree(get("/v1/status").body()).get("batch").get("version").asText();

    importEpoch(5_000, 32);
    assertEquals(0, batch.aggregate().exitCode());

    AtomicBoolean running = new AtomicBoolean(true);
    ConcurrentLinkedQueue<String> answers = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger count = new AtomicInteger();
    List<Thread> readers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread t = new Thread(() -> {
        while (running.get()) {
          try {
            HttpResponse<String> r = get(q);
            if (r.statusCode() != 200) {
              failures.add(r.statusCode() + " " + r.body());
            } else {
              answers.add(JSON.readTree(r.body()).get("rows").toString());
              count.incrementAndGet();
            }
          } catch (Exception e) {
            failures.add(e.toString());
          }
        }
      });
      t.start();
      readers.add(t);
    }
    BatchHarness.Run load = batch.load();
    Thread.sleep(1_500);
    running.set(false);
    for (Thread t : readers) {
      t.join();
    }
    assertEquals(0, load.exitCode(), load.err());
    assertEquals(List.of(), new ArrayList<>(failures));
    Thread.sleep(1_200);
    String after = JSON.readTree(get(q).body()).get("rows").toString();
    assertNotEquals(before, after, "the second epoch adds direct clicks");
    for (String a : answers) {
      assertTrue(a.equals(before) || a.equals(after), "a mixed answer: " + a);
    }
    assertTrue(count.get() > 10, "lookups ran during the load: " + count.get());
    JsonNode status = JSON.readTree(get("/v1/status").body()).get("batch");
    assertEquals(versionBefore, status.get("previous_version").asText());
    assertEquals(2, status.get("last_epoch").asLong());

    BatchHarness.Run rollback = batch.rollback();
    assertEquals(0, rollback.exitCode(), rollback.err());
    Thread.sleep(1_200);
    assertEquals(before, JSON.readTree(get(q).body()).get("rows").toString());
    assertEquals(versionBefore, JSON.readTree(get("/v1/status").body()).get("batch").get("version").asText());
    assertEquals(0, batch.rollback().exitCode(), "a second rollback undoes the first");
    Thread.sleep(1_200);
    assertEquals(after, JSON.readTree(get(q).body()).get("rows").toString());
  }

  @Test
  @Order(5)
  void aLoadThatDiesBeforeItsFlipChangesNothingServed() throws Exception {
    JsonNode key = JSON.readTree("{\"campaign\":null,\"channel\":\"direct\"}");
    String q = "/v1/views/campaign_traffic/day?" + query(key, DAY_FROM, DAY_TO);
    String served = get(q).body();
    String status = JSON.readTree(get("/v1/status").body()).get("batch").toString();
    importEpoch(3_000, 33);
    assertEquals(0, batch.aggregate().exitCode());
    batch.conf().setBoolean("lambda.internal.load.fail-before-flip", true);
    try {
      // The load dies after the bulk load, before the flip, as a killed process would.
      assertNotEquals(0, batch.load().exitCode());
    } catch (java.io.IOException killed) {
      assertTrue(killed.getMessage().contains("before the flip"), killed.toString());
    } finally {
      batch.conf().unset("lambda.internal.load.fail-before-flip");
    }
    assertEquals(served, get(q).body());
    assertEquals(status, JSON.readTree(get("/v1/status").body()).get("batch").toString());
    BatchHarness.Run r = batch.load();
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("dropped"), "the next load drops the dead load's table: " + r.err());
    Thread.sleep(1_200);
    assertEquals(3, JSON.readTree(get("/v1/status").body()).get("batch").get("last_epoch").asLong());
  }

  @Test
  @Order(6)
  void everyBadRequestGetsItsStatusAndAJsonError() throws Exception {
    String ok = "/v1/views/campaign_traffic/day?from=" + DAY_FROM + "&to=" + DAY_TO + "&channel=direct&campaign=w47";
    assertEquals(200, get(ok).statusCode());
    Object[][] cases = {
        {400, "/v1/views/campaign_traffic/day?from=" + DAY_FROM + "&to=" + DAY_TO + "&channel=direct", "missing dimension"},
        {400, ok + "&country=US", "unknown dimension"},
        {400, "/v1/views/campaign_traffic/day?from=" + DAY_TO + "&to=" + DAY_FROM + "&channel=direct&campaign=w47", "before"},
        {400, "/v1/views/campaign_traffic/minute?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z&channel=direct&campaign=w47", "over the limit"},
        {400, "/v1/views/campaign_traffic/day?from=yesterday&to=" + DAY_TO + "&channel=direct&campaign=w47", "not an ISO-8601"},
        {400, "/v1/views/campaign_traffic/day?to=" + DAY_TO + "&channel=direct&campaign=w47", "'from' is required"},
        {400, ok + "&channel=email", "more than once"},
        {404, "/v1/views/nope/day?from=" + DAY_FROM + "&to=" + DAY_TO, "unknown view"},
        {404, "/v1/views/campaign_traffic/hour?from=" + DAY_FROM + "&to=" + DAY_TO, "no granularity"},
        {404, "/v1/views/campaign_traffic/week?from=" + DAY_FROM + "&to=" + DAY_TO, "no granularity"},
        {404, "/v2/anything", "no such endpoint"},
    };
    for (Object[] c : cases) {
      HttpResponse<String> r = get((String) c[1]);
      assertEquals(c[0], r.statusCode(), c[1] + " -> " + r.body());
      assertTrue(JSON.readTree(r.body()).get("error").asText().contains((String) c[2]), r.body());
      assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    }
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(base.resolve(ok))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
    try {
      new ServingClient(base).lookup("nope", "day", Instant.parse(DAY_FROM), Instant.parse(DAY_TO), Map.of());
      throw new AssertionError("expected a ServingException");
    } catch (ServingException e) {
      assertEquals(404, e.status());
    }
  }

  @Test
  @Order(7)
  void theRowCapOfAMultiKeyLookupHoldsAcrossItsConcurrentScans() throws Exception {
    // Every key of page_traffic (keys in all 16 regions: one scan each, at once), uncached.
    Map<String, List<JsonNode>> byKey = exportByKey("page_traffic", "hour");
    int total = byKey.values().stream().mapToInt(List::size).sum();
    com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode().put("from", DAY_FROM).put("to", DAY_TO);
    ArrayNode keys = body.putArray("keys");
    byKey.values().forEach(rows -> keys.add(rows.get(0).get("key")));
    for (int cap : new int[] {total, total - 1, 1}) {
      Configuration conf = new Configuration(batch.conf());
      conf.setInt("lambda.serving.lookup.max-rows", cap);
      conf.setInt("lambda.serving.cache.rows", 0);
      try (ServingServer capped = new ServingServer(new ServingApi(conf, catalog, Clock.systemUTC()), "127.0.0.1", 0)) {
        capped.start();
        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + capped.port()
            + "/v1/views/page_traffic/hour/lookup")).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (cap == total) {
          assertEquals(200, resp.statusCode(), resp.body());
          int rows = 0;
          for (JsonNode r : JSON.readTree(resp.body()).get("results")) {
            rows += r.get("rows").size();
          }
          assertEquals(total, rows);
        } else {
          assertEquals(400, resp.statusCode(), "cap " + cap + " of " + total + " rows: " + resp.body());
          assertTrue(resp.body().contains("more than " + cap + " rows"), resp.body());
        }
      }
    }
  }

  @Test
  @Order(7)
  void aBearerTokenIsRequiredWhenConfigured() throws Exception {
    Configuration conf = new Configuration(batch.conf());
    conf.set("lambda.serving.auth.token", "s3cret");
    try (ServingServer secured = new ServingServer(new ServingApi(conf, catalog, Clock.systemUTC()), "127.0.0.1", 0)) {
      secured.start();
      URI at = URI.create("http://127.0.0.1:" + secured.port());
      assertEquals(401, get(at, "/v1/status", null).statusCode());
      assertEquals(401, get(at, "/v1/status", "wrong").statusCode());
      assertEquals(200, get(at, "/v1/status", "s3cret").statusCode());
      assertEquals("ok", new ServingClient(at, "s3cret", Duration.ofSeconds(10)).status().get("status").asText());
    }
  }

  @Test
  @Order(8)
  void unreachableHBaseIs503WithinTheTimeoutAndTheServiceRecovers() throws Exception {
    String q = "/v1/views/campaign_traffic/day?from=" + DAY_FROM + "&to=" + DAY_TO + "&channel=direct&campaign=w47";
    Configuration conf = new Configuration(batch.conf());
    conf.setInt("lambda.serving.deadline-ms", 3_000);
    conf.setInt("hbase.client.retries.number", 1);
    conf.setInt("hbase.rpc.timeout", 1_000);
    conf.setInt("hbase.client.operation.timeout", 2_000);
    try (ServingServer quick = new ServingServer(new ServingApi(conf, catalog, Clock.systemUTC()), "127.0.0.1", 0)) {
      quick.start();
      URI at = URI.create("http://127.0.0.1:" + quick.port());
      assertEquals(200, get(at, q, null).statusCode());
      hbase.shutdownMiniHBaseCluster();
      long t0 = System.nanoTime();
      // Another key: q's batch rows are cached (a version never changes), so q may still be
      // answered exactly for a moment; a key never read must reach HBase.
      HttpResponse<String> down = get(at, q.replace("campaign=w47", "campaign=w46"), null);
      long millis = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(503, down.statusCode(), down.body());
      assertTrue(JSON.readTree(down.body()).has("error"));
      assertTrue(millis < 10_000, "503 within the bounded timeout, took " + millis + " ms");
      assertEquals(503, get(at, "/v1/status", null).statusCode());
      hbase.startMiniHBaseCluster(StartMiniClusterOption.builder().numMasters(1).numRegionServers(1).build());
      int status = 0;
      for (int i = 0; i < 60 && status != 200; i++) {
        status = get(at, q, null).statusCode();
        if (status != 200) {
          Thread.sleep(1_000);
        }
      }
      assertEquals(200, status, "the service recovers by itself when HBase is back");
    }
  }
}
