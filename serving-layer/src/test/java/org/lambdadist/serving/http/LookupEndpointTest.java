package org.lambdadist.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewKey;

/** {@code /v1/views/{view}/{granularity}}: exact merge, coverage, and every refusal before any read. */
class LookupEndpointTest {
  private static final String DAY = "2026-11-01T";
  private final ApiFixture f = new ApiFixture();

  static RowAggregate row(long events, long revenue, String... users) {
    RowAggregate r = RowAggregate.zero(List.of(
        new org.lambdadist.core.view.MetricDefinition("events", org.lambdadist.core.view.MetricType.COUNT, null),
        new org.lambdadist.core.view.MetricDefinition("revenue", org.lambdadist.core.view.MetricType.SUM, "revenue"),
        new org.lambdadist.core.view.MetricDefinition("users", org.lambdadist.core.view.MetricType.DISTINCT, "user")));
    for (long i = 0; i < events; i++) {
      r.state(0).add(Boolean.TRUE);
    }
    r.state(1).add(revenue);
    Arrays.stream(users).forEach(u -> r.state(2).add(u));
    return r;
  }

  static ViewKey key(String campaign, String channel, String minute) {
    return new ViewKey("traffic", Arrays.asList(campaign, channel), Granularity.MINUTE,
        Instant.parse(DAY + minute + ":00Z").toEpochMilli());
  }

  @Test
  void batchRowsAndNewerRealtimeCellsMergeExactlyWithTheirCoverage() throws Exception {
    f.reads.serve("v1", 1, 3, ApiFixture.VIEWS);
    f.reads.batch.put(key("w1", "email", "10:00"), row(2, 10, "a", "b"));
    f.reads.realtime.put(key("w1", "email", "10:00"), Map.of(3L, row(9, 90, "z"), 4L, row(1, 5, "a", "c")));
    f.reads.realtime.put(key("w1", "email", "10:01"), Map.of(5L, row(1, 1, "d")));
    f.reads.markRealtime(5);
    JsonNode r = f.json("/v1/views/traffic/minute?from=" + DAY + "10:00:00Z&to=" + DAY + "10:05:00Z&campaign=w1&channel=email", 200);
    assertEquals(2, r.get("rows").size(), r.toString());
    JsonNode first = r.get("rows").get(0).get("metrics");
    assertEquals(3, first.get("events").asLong(), "batch 2 + epoch 4's 1; epoch 3 is covered by the batch");
    assertEquals(15, first.get("revenue").asLong());
    assertEquals(3, first.get("users").asLong(), "a, b, c");
    assertEquals("v1", r.get("coverage").get("batch_version").asText());
    assertEquals(3, r.get("coverage").get("batch_epochs").get("last").asLong());
    assertEquals("[4,5]", r.get("coverage").get("speed_epochs").toString());
    assertEquals("w1", r.get("key").get("campaign").asText());
  }

  @Test
  void aMissingDimensionValueIsAskedForWithNull() throws Exception {
    f.reads.serve("v1", 1, 1, ApiFixture.VIEWS);
    f.reads.batch.put(key(null, "direct", "10:00"), row(4, 0));
    JsonNode r = f.json("/v1/views/traffic/minute?from=" + DAY + "10:00:00Z&to=" + DAY + "10:01:00Z&null=campaign&channel=direct", 200);
    assertEquals(4, r.get("rows").get(0).get("metrics").get("events").asLong());
    assertTrue(r.get("key").get("campaign").isNull());
  }

  @Test
  void everyBadRequestIsRefusedBeforeAnyRead() throws Exception {
    f.reads.serve("v1", 1, 1, ApiFixture.VIEWS);
    String ok = "/v1/views/traffic/day?from=" + DAY + "00:00:00Z&to=2026-11-02T00:00:00Z";
    Object[][] cases = {
        {400, ok + "&channel=direct", "missing dimension"},
        {400, ok + "&campaign=a&channel=b&country=US", "unknown dimension"},
        {400, ok + "&campaign=a&channel=b&channel=c", "more than once"},
        {400, "/v1/views/traffic/day?from=2026-11-02T00:00:00Z&to=" + DAY + "00:00:00Z&campaign=a&channel=b", "before"},
        {400, "/v1/views/traffic/minute?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z&campaign=a&channel=b", "over the limit"},
        {400, "/v1/views/traffic/day?from=yesterday&to=" + DAY + "00:00:00Z&campaign=a&channel=b", "not an ISO-8601"},
        {400, "/v1/views/traffic/day?to=" + DAY + "00:00:00Z&campaign=a&channel=b", "'from' is required"},
        {400, "/v1/views/traffic/day?from=-3000000000000001&to=1&campaign=a&channel=b", "outside the times"},
        {400, ok + "&campaign=" + "x".repeat(1025) + "&channel=b", "longer than 1024"},
        {404, "/v1/views/nope/day?from=" + DAY + "00:00:00Z&to=2026-11-02T00:00:00Z", "unknown view"},
        {404, "/v1/views/traffic/hour?from=" + DAY + "00:00:00Z&to=2026-11-02T00:00:00Z", "no granularity"},
    };
    for (Object[] c : cases) {
      JsonNode error = f.json((String) c[1], (Integer) c[0]);
      assertTrue(error.get("error").asText().contains((String) c[2]), c[1] + " -> " + error);
    }
    assertEquals(0, f.reads.seriesReads, "no request above reached the store");
  }

  @Test
  void beforeTheFirstLoadTheFallbackViewsAreServedAndNothingIsFound() throws Exception {
    JsonNode r = f.json("/v1/views/traffic/day?from=" + DAY + "00:00:00Z&to=2026-11-02T00:00:00Z&campaign=a&channel=b", 200);
    assertEquals(0, r.get("rows").size());
    assertTrue(r.get("coverage").get("batch_version").isNull());
  }
}
