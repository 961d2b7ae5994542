package org.lambdadist.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.attribution.AttributionRow;
import org.lambdadist.serving.query.QueryMain;

/**
 * {@code lambda query} ({@link QueryMain}) against the API served over real HTTP (Jetty, the
 * real endpoints and client) on this package's in-memory store: its JSON is the API's answer
 * byte for byte, its table holds the answer's values, and each failure has its exit code and
 * message. Lives here for the in-memory store fixture; the same against HBase is ServingIT's.
 */
class QueryOverHttpTest {
  private static final String DAY = "2026-11-01T";
  private final ApiFixture f = new ApiFixture();
  private final HttpClient http = HttpClient.newHttpClient();
  private ServingServer server;
  private String base;

  /** What one run printed and returned. */
  private record Run(int exit, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    f.settings.set("lambda.serving.auth.token", "s3cret");
    f.reads.serve("v1", 1, 3, ApiFixture.VIEWS);
    f.reads.batch.put(LookupEndpointTest.key("w1", "email", "10:00"), LookupEndpointTest.row(2, 10, "a", "b"));
    f.reads.batch.put(LookupEndpointTest.key("w1", "email", "10:02"), LookupEndpointTest.row(1, 7, "a"));
    f.reads.batch.put(LookupEndpointTest.key(null, "direct", "10:01"), LookupEndpointTest.row(4, 0));
    f.reads.realtime.put(LookupEndpointTest.key("w1", "email", "10:02"), Map.of(4L, LookupEndpointTest.row(1, 5, "c")));
    f.reads.markRealtime(4);
    f.reads.attribution.put("v1/linear", List.of(new AttributionRow("linear", "2026-11-01", "email", "w1", 1.0, 10.0)));
    server = new ServingServer(f.api(), "127.0.0.1", 0);
    server.start();
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  /** {@code lambda query ARGS} with the settings a machine running this API would have. */
  private Run query(boolean terminal, String... args) throws Exception {
    Configuration settings = new Configuration(false);
    settings.set("lambda.serving.port", Integer.toString(server.port()));
    settings.set("lambda.serving.auth.token", "s3cret");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    QueryMain query = new QueryMain(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), f.clock, terminal);
    query.setConf(settings);
    int exit = query.run(args);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private String api(String pathAndQuery) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .header("Authorization", "Bearer s3cret").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  @Test
  void jsonIsTheApisAnswerUnchangedAndTheTableItsValues() throws Exception {
    String path = "/v1/views/traffic/minute?from=" + DAY + "10:00:00Z&to=" + DAY + "10:05:00Z&campaign=w1&channel=email";
    Run json = query(false, "traffic", "minute", "--from", DAY + "10:00:00Z", "--to", DAY + "10:05:00Z",
        "campaign=w1", "channel=email");
    assertEquals(0, json.exit(), json.err());
    assertEquals(api(path) + "\n", json.out(), "not a terminal: JSON");
    assertEquals("", json.err());

    Run table = query(true, "traffic", "minute", "--from", DAY + "10:00:00Z", "--to", DAY + "10:05:00Z",
        "campaign=w1", "channel=email");
    assertEquals(0, table.exit(), table.err());
    assertEquals(String.join("\n",
        "traffic minute, from 2026-11-01T10:00:00Z to 2026-11-01T10:05:00Z, campaign=w1, channel=email",
        "bucket                events  revenue  users",
        "2026-11-01T10:00:00Z       2       10      2",
        "2026-11-01T10:02:00Z       2       12      2",
        "batch version v1 (epochs 1-3), speed layer epochs 4",
        ""), table.out(), "a terminal: a table; 10:02 is batch and epoch 4 merged");

    Run missing = query(false, "traffic", "minute", "--from", DAY + "10:00:00Z", "--to", DAY + "10:05:00Z",
        "--null", "campaign", "channel=direct", "--format", "table");
    assertTrue(missing.out().contains("campaign=(missing), channel=direct\nbucket"), missing.out());
    assertTrue(missing.out().contains("2026-11-01T10:01:00Z       4        0      0"), missing.out());
  }

  @Test
  void severalKeysAreOneRequestAndARefusedKeyIsReportedWithExitCode1() throws Exception {
    String[] args = {"traffic", "minute", "--from", DAY + "10:00:00Z", "--to", DAY + "10:05:00Z", "--json",
        "--key", "campaign=w1,channel=email", "--key", "{\"campaign\":null,\"channel\":\"direct\"}"};
    Run both = query(true, args);
    assertEquals(0, both.exit(), both.err());
    String body = "{\"from\":\"" + DAY + "10:00:00Z\",\"to\":\"" + DAY + "10:05:00Z\",\"keys\":[{\"campaign\":\"w1\","
        + "\"channel\":\"email\"},{\"campaign\":null,\"channel\":\"direct\"}]}";
    HttpResponse<String> direct = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/views/traffic/minute/lookup"))
        .header("Authorization", "Bearer s3cret").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(direct.body() + "\n", both.out());

    Run refused = query(false, "traffic", "minute", "--from", DAY + "10:00:00Z", "--to", DAY + "10:05:00Z",
        "--format", "table", "--key", "campaign=w1,channel=email", "--key", "campaign=w1,country=US");
    assertEquals(1, refused.exit());
    assertTrue(refused.out().contains("key campaign=w1, channel=email\nbucket"), refused.out());
    assertTrue(refused.out().contains("key campaign=w1, country=US: refused: unknown dimension 'country'"), refused.out());
    assertTrue(refused.err().contains("key campaign=w1, country=US refused: unknown dimension 'country'"), refused.err());
  }

  @Test
  void viewsAndAttributionArePrintedAsTheApiAnswers() throws Exception {
    Run views = query(false, "views");
    assertEquals(0, views.exit(), views.err());
    assertEquals(api("/v1/views") + "\n", views.out());
    Run viewsTable = query(false, "views", "--format", "table");
    assertTrue(viewsTable.out().startsWith("view     dimensions         granularities  metrics\n"
        + "traffic  campaign, channel  minute, day    events=count revenue=sum(revenue) users=distinct(user)\n"),
        viewsTable.out());

    Run linear = query(false, "attribution", "linear", "--from", "2026-11-01", "--to", "2026-11-02");
    assertEquals(0, linear.exit(), linear.err());
    assertEquals(api("/v1/attribution/linear?from=2026-11-01&to=2026-11-02") + "\n", linear.out());
    Run table = query(true, "attribution", "linear", "--from", "2026-11-01", "--to", "2026-11-02");
    assertTrue(table.out().contains("channel  conversions  revenue\nemail            1.0     10.0\n"), table.out());
  }

  @Test
  void anApiErrorIsItsMessageOnStderrWithExitCode1() throws Exception {
    Run unknown = query(false, "nope", "day", "--from", "2026-11-01", "--to", "2026-11-02", "a=b");
    assertEquals(1, unknown.exit());
    assertEquals("", unknown.out());
    assertEquals("lambda query: the API answered 404: unknown view 'nope' (views: traffic)\n", unknown.err());

    Run tooMany = query(false, "traffic", "minute", "--from", "2026-01-01", "--to", "2026-03-01", "campaign=a", "channel=b");
    assertEquals(1, tooMany.exit());
    assertTrue(tooMany.err().contains("400: the range covers"), tooMany.err());

    f.reads.failure = new org.lambdadist.serving.read.StoreUnavailableException("HBase did not answer", null);
    Run away = query(false, "views");
    assertEquals(1, away.exit());
    assertTrue(away.err().matches("lambda query: the API answered 503: the store is unavailable; retry later"
        + " \\(request \\S+ in its log\\)\n"), away.err());
    f.reads.failure = null;

    Run badToken = query(false, "views", "--token", "wrong");
    assertEquals(1, badToken.exit());
    assertTrue(badToken.err().startsWith("lambda query: the API answered 401"), badToken.err());
  }

  @Test
  void anUnreachableApiIsNamedAndAUsageErrorIsExitCode2() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Run away = query(false, "views", "-D", "lambda.serving.url=http://127.0.0.1:" + closed);
    assertEquals(1, away.exit());
    assertTrue(away.err().startsWith("lambda query: cannot reach the API at http://127.0.0.1:" + closed + ": "),
        away.err());
    assertTrue(away.err().contains("lambda serve"), away.err());

    Run usage = query(false, "traffic", "minute", "campaign=w1");
    assertEquals(2, usage.exit());
    assertEquals("", usage.out());
    assertTrue(usage.err().startsWith("lambda query: --from is required (the first bucket's start)\nusage: lambda query"),
        usage.err());

    Run badSetting = query(false, "views", "-Dlambda.serving.port=0");
    assertEquals(2, badSetting.exit());
    assertTrue(badSetting.err().contains("lambda.serving.port is 0"), badSetting.err());

    Run help = query(false, "--help");
    assertEquals(0, help.exit());
    assertTrue(help.err().startsWith("usage: lambda query"), help.err());
  }
}
