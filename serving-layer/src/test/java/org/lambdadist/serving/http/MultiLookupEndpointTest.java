package org.lambdadist.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.view.ViewKey;

/** {@code POST /v1/views/{view}/{granularity}/lookup}: many keys, one coverage, errors per key. */
class MultiLookupEndpointTest {
  private static final String DAY = "2026-11-01T";
  private static final String PATH = "/v1/views/traffic/minute/lookup";
  private static final String RANGE = "\"from\":\"" + DAY + "10:00:00Z\",\"to\":\"" + DAY + "10:05:00Z\"";
  private final ApiFixture f = new ApiFixture();

  private static ViewKey key(String campaign, String channel, String minute) {
    return LookupEndpointTest.key(campaign, channel, minute);
  }

  @Test
  void eachKeyGetsItsMergedRowsInOrderAndBadKeysTheirOwnError() throws Exception {
    f.reads.serve("v1", 1, 3, ApiFixture.VIEWS);
    f.reads.batch.put(key("w1", "email", "10:00"), LookupEndpointTest.row(2, 10, "a", "b"));
    f.reads.realtime.put(key("w1", "email", "10:00"), Map.of(3L, LookupEndpointTest.row(9, 90, "z"),
        4L, LookupEndpointTest.row(1, 5, "a", "c")));
    f.reads.batch.put(key(null, "direct", "10:02"), LookupEndpointTest.row(7, 0));
    f.reads.realtime.put(key("w2", "social", "10:04"), Map.of(5L, LookupEndpointTest.row(1, 1, "d")));
    f.reads.markRealtime(5);
    JsonNode r = f.postJson(PATH, "{" + RANGE + ",\"keys\":["
        + "{\"campaign\":\"w1\",\"channel\":\"email\"},"
        + "{\"campaign\":null,\"channel\":\"direct\"},"
        + "{\"channel\":\"email\"},"
        + "{\"campaign\":\"w2\",\"channel\":\"social\"},"
        + "{\"campaign\":\"w1\",\"channel\":\"email\"},"
        + "{\"campaign\":3,\"channel\":\"email\"},"
        + "{\"campaign\":\"w1\",\"channel\":\"email\",\"country\":\"US\"},"
        + "\"w1\","
        + "{\"campaign\":\"nobody\",\"channel\":\"email\"}]}", 200);
    JsonNode results = r.get("results");
    assertEquals(9, results.size(), r.toString());
    JsonNode first = results.get(0);
    assertEquals("w1", first.get("key").get("campaign").asText());
    assertEquals(1, first.get("rows").size());
    assertEquals(3, first.get("rows").get(0).get("metrics").get("events").asLong(), "batch 2 + epoch 4's 1");
    assertEquals(15, first.get("rows").get(0).get("metrics").get("revenue").asLong());
    assertEquals(3, first.get("rows").get(0).get("metrics").get("users").asLong());
    assertTrue(results.get(1).get("key").get("campaign").isNull());
    assertEquals(7, results.get(1).get("rows").get(0).get("metrics").get("events").asLong());
    assertTrue(results.get(2).get("error").asText().contains("missing dimension 'campaign'"), results.get(2).toString());
    assertEquals(400, results.get(2).get("status").asInt());
    assertEquals(1, results.get(3).get("rows").get(0).get("metrics").get("events").asLong());
    assertEquals(first, results.get(4), "a key asked twice gets the same answer twice");
    assertTrue(results.get(5).get("error").asText().contains("must be a string or null"));
    assertTrue(results.get(6).get("error").asText().contains("unknown dimension 'country'"));
    assertTrue(results.get(7).get("error").asText().contains("a key is an object"));
    assertEquals(0, results.get(8).get("rows").size());
    assertEquals("[4,5]", r.get("coverage").get("speed_epochs").toString());
    assertEquals("v1", r.get("coverage").get("batch_version").asText());
    assertEquals(1, f.reads.seriesReads, "one read for every key");

    // The same as the single-key lookup, row for row.
    JsonNode single = f.json("/v1/views/traffic/minute?from=" + DAY + "10:00:00Z&to=" + DAY
        + "10:05:00Z&campaign=w1&channel=email", 200);
    assertEquals(single.get("rows"), first.get("rows"));
    assertEquals("[4]", single.get("coverage").get("speed_epochs").toString(), "the multi-key coverage is of all keys");
  }

  @Test
  void wholeRequestsAreRefusedBeforeAnyRead() throws Exception {
    f.reads.serve("v1", 1, 1, ApiFixture.VIEWS);
    f.settings.setInt("lambda.serving.lookup.max-keys", 2);
    String key = "{\"campaign\":\"a\",\"channel\":\"b\"}";
    Object[][] cases = {
        {400, PATH, "", "the body is empty"},
        {400, PATH, "{\"from\":", "not JSON"},
        {400, PATH, "[1,2]", "must be a JSON object"},
        {400, PATH, "{" + RANGE + ",\"keys\":[" + key + "],\"limit\":3}", "unknown field 'limit'"},
        {400, PATH, "{" + RANGE + ",\"from\":1,\"keys\":[]}", "not JSON"},
        {400, PATH, "{" + RANGE + "}", "'keys' is required"},
        {400, PATH, "{" + RANGE + ",\"keys\":{}}", "'keys' is required"},
        {400, PATH, "{\"to\":\"" + DAY + "10:05:00Z\",\"keys\":[" + key + "]}", "'from' is required"},
        {400, PATH, "{\"from\":\"yesterday\",\"to\":\"" + DAY + "10:05:00Z\",\"keys\":[" + key + "]}", "not an ISO-8601"},
        {400, PATH, "{\"from\":\"" + DAY + "10:05:00Z\",\"to\":\"" + DAY + "10:00:00Z\",\"keys\":[" + key + "]}", "before"},
        {400, PATH, "{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-03-01T00:00:00Z\",\"keys\":[" + key + "]}",
            "over the limit"},
        {400, PATH, "{" + RANGE + ",\"keys\":[" + key + "," + key + "," + key + "]}", "over the limit of 2"},
        {404, "/v1/views/nope/minute/lookup", "{" + RANGE + ",\"keys\":[]}", "unknown view"},
        {404, "/v1/views/traffic/hour/lookup", "{" + RANGE + ",\"keys\":[]}", "no granularity"},
        {400, PATH, "{\"from\":1, \"to\":" + "9".repeat(40) + ",\"keys\":[]}", "'to' is required"},
        {400, PATH, "[".repeat(5000) + "]".repeat(5000), "not JSON"},
        {400, PATH, "{" + RANGE + ",\"keys\":[]} {}", "not JSON"},
    };
    for (Object[] c : cases) {
      JsonNode error = f.postJson((String) c[1], (String) c[2], (Integer) c[0]);
      assertTrue(error.get("error").asText().contains((String) c[3]), c[2] + " -> " + error);
    }
    byte[] badUtf8 = ("{" + RANGE + ",\"keys\":[{\"campaign\":\"a\u0000\",\"channel\":\"x\"}]}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    badUtf8[badUtf8.length - 8] = (byte) 0xFF; // inside the last value
    ApiResponse bad = f.api().post(PATH, Map.of(), badUtf8, null);
    assertEquals(400, bad.status(), bad.json());
    assertTrue(bad.json().contains("not JSON"), bad.json());
    ApiResponse withQuery = f.api().post(PATH, Map.of("from", new String[] {"1"}), "{}".getBytes(), null);
    assertEquals(400, withQuery.status(), withQuery.json());
    assertEquals(0, f.reads.seriesReads, "no request above reached the store");
    ApiResponse get = f.get(PATH);
    assertEquals(405, get.status(), get.json());
    assertEquals("POST", get.headers().get("Allow"));
    ApiResponse post = f.post("/v1/views/traffic/minute", "{}");
    assertEquals(405, post.status(), post.json());
    assertEquals("GET", post.headers().get("Allow"));
  }

  @Test
  void keysHoldingMoreRowsThanTheCapAreRefusedAsAWhole() throws Exception {
    f.settings.setInt("lambda.serving.lookup.max-rows", 2);
    f.reads.serve("v1", 1, 1, ApiFixture.VIEWS);
    for (String minute : new String[] {"10:00", "10:01", "10:02"}) {
      f.reads.batch.put(key("a", "b", minute), LookupEndpointTest.row(1, 1));
    }
    JsonNode error = f.postJson(PATH, "{" + RANGE + ",\"keys\":[{\"campaign\":\"a\",\"channel\":\"b\"}]}", 400);
    assertTrue(error.get("error").asText().contains("more than 2 rows"), error.toString());
    JsonNode ok = f.postJson(PATH, "{\"from\":\"" + DAY + "10:00:00Z\",\"to\":\"" + DAY
        + "10:02:00Z\",\"keys\":[{\"campaign\":\"a\",\"channel\":\"b\"}]}", 200);
    assertEquals(2, ok.get("results").get(0).get("rows").size());
    assertFalse(ok.get("results").get(0).has("error"));
  }
}
