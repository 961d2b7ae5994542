package org.lambdadist.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.codec.CodecException;
import org.lambdadist.core.attribution.AttributionRow;
import org.lambdadist.serving.read.StoreUnavailableException;

/** {@code /v1/views}, {@code /v1/attribution}, {@code /v1/status} and the router's own answers. */
class OtherEndpointsTest {
  private final ApiFixture f = new ApiFixture();

  @Test
  void viewsListsTheSchemasOfTheServedVersionOrTheFallback() throws Exception {
    JsonNode fallback = f.json("/v1/views", 200);
    assertTrue(fallback.get("batch_version").isNull());
    assertEquals("traffic", fallback.get("views").get(0).get("name").asText());
    f.reads.serve("v7", 1, 2, "{\"views\":[{\"name\":\"other\",\"granularities\":[\"hour\"],"
        + "\"metrics\":[{\"name\":\"n\",\"type\":\"count\"}]}]}");
    JsonNode served = f.json("/v1/views", 200);
    assertEquals("v7", served.get("batch_version").asText());
    assertEquals("other", served.get("views").get(0).get("name").asText());
    assertEquals("[\"hour\"]", served.get("views").get(0).get("granularities").toString());
    assertEquals("count", served.get("views").get(0).get("metrics").get(0).get("type").asText());
  }

  @Test
  void attributionRegroupsOverDaysByChannelOrCampaignAndComparesModels() throws Exception {
    f.reads.serve("v1", 1, 1, ApiFixture.VIEWS);
    f.reads.attribution.put("v1/linear", List.of(
        new AttributionRow("linear", "2026-11-01", "email", "w1", 1.0, 10.0),
        new AttributionRow("linear", "2026-11-02", "email", "w2", 0.5, 5.0),
        new AttributionRow("linear", "2026-11-02", "search", null, 0.5, 5.0),
        new AttributionRow("linear", "2026-11-09", "email", "w1", 9, 90)));
    JsonNode byChannel = f.json("/v1/attribution/linear?from=2026-11-01&to=2026-11-02", 200);
    assertEquals("linear", byChannel.get("model").asText());
    assertEquals(2, byChannel.get("rows").size());
    assertEquals(1.5, byChannel.get("rows").get(0).get("conversions").asDouble());
    assertEquals(15.0, byChannel.get("rows").get(0).get("revenue").asDouble());
    JsonNode byCampaign = f.json("/v1/attribution/linear?from=2026-11-01&to=2026-11-02&by=campaign", 200);
    assertEquals(3, byCampaign.get("rows").size());
    JsonNode compare = f.json("/v1/attribution/compare?from=2026-11-01&to=2026-11-09", 200);
    assertEquals(7, compare.get("models").size());
    assertEquals(10.5, compare.get("models").get("linear").get(0).get("conversions").asDouble());
    assertEquals(0, compare.get("models").get("markov").size());
    assertEquals(404, f.get("/v1/attribution/nope?from=2026-11-01&to=2026-11-02").status());
    assertEquals(400, f.get("/v1/attribution/linear?from=2026-11-03&to=2026-11-02").status());
    assertEquals(400, f.get("/v1/attribution/linear?from=2026-11-01&to=2026-11-02&by=device").status());
    assertEquals(400, f.get("/v1/attribution/linear?from=yesterday&to=2026-11-02").status());
    assertEquals(400, f.get("/v1/attribution/linear?to=2026-11-02").status());
    assertEquals(400, f.get("/v1/attribution/linear?from=2006-11-01&to=2026-11-02").status());
    assertEquals(400, f.get("/v1/attribution/linear?from=2026-11-01&to=2026-11-02&x=1").status());
  }

  @Test
  void statusSaysWhatIsServedAndIs503WhenTheStoreIsAway() throws Exception {
    f.reads.serve("v3", 1, 4, ApiFixture.VIEWS);
    JsonNode ok = f.json("/v1/status", 200);
    assertEquals("ok", ok.get("status").asText());
    assertEquals("v3", ok.get("batch").get("version").asText());
    assertEquals(4, ok.get("batch").get("last_epoch").asLong());
    assertEquals(-1, ok.get("epochs").get("open").asLong());
    f.reads.failure = new StoreUnavailableException("HBase at zk-host-7:2181 did not answer", null);
    JsonNode down = f.json("/v1/status", 503);
    assertEquals("unavailable", down.get("status").asText());
    assertEquals("unavailable", down.get("hbase").asText());
    assertTrue(!down.toString().contains("zk-host-7"), "no host or exception text in the body: " + down);
  }

  @Test
  void theRouterAnswersAuthUnknownPathsAndStoreFailuresInJson() throws Exception {
    assertEquals(404, f.get("/v2/anything").status());
    assertTrue(f.get("/v2/anything").json().contains("no such endpoint"));
    assertEquals(404, f.get("/v1/views/a/b/c").status());
    f.reads.failure = new IOException("connection refused by org.example.Host/10.1.2.3");
    ApiResponse away = f.get("/v1/views");
    assertEquals(503, away.status());
    assertTrue(away.json().contains("unavailable"), away.json());
    assertTrue(!away.json().contains("10.1.2.3") && !away.json().contains("IOException"), away.json());
    assertTrue(away.json().contains("request_id"), away.json());
    assertEquals("1", away.headers().get("Retry-After"));
    f.reads.failure = null;
    f.reads.inconsistency = new CodecException("corrupt aggregate");
    assertEquals(500, f.get("/v1/views").status());
    f.reads.inconsistency = null;

    ApiFixture secured = new ApiFixture();
    secured.settings.set("lambda.serving.auth.token", "s3cret");
    assertEquals(401, secured.get("/v1/views").status());
    assertEquals(200, secured.get("/v1/health").status(), "liveness needs no token");
    assertEquals(401, secured.get("/v1/views", "Bearer wrong").status());
    assertEquals(200, secured.get("/v1/views", "Bearer s3cret").status());
  }

  @Test
  void healthNeedsNoStore() throws Exception {
    f.reads.failure = new IOException("away");
    assertEquals("ok", f.json("/v1/health", 200).get("status").asText());
  }

  @Test
  void attributionReadsAreCapped() throws Exception {
    f.settings.setInt("lambda.serving.attribution.max-rows", 2);
    f.reads.serve("v1", 1, 1, ApiFixture.VIEWS);
    f.reads.attribution.put("v1/linear", List.of(
        new AttributionRow("linear", "2026-11-01", "a", null, 1, 1),
        new AttributionRow("linear", "2026-11-02", "b", null, 1, 1),
        new AttributionRow("linear", "2026-11-03", "c", null, 1, 1)));
    assertEquals(200, f.get("/v1/attribution/linear?from=2026-11-01&to=2026-11-02").status());
    JsonNode tooMany = f.json("/v1/attribution/linear?from=2026-11-01&to=2026-11-03", 400);
    assertTrue(tooMany.get("error").asText().contains("max-rows"), tooMany.toString());
    JsonNode tooLong = f.json("/v1/attribution/compare?from=2026-01-01&to=2027-12-31", 400);
    assertTrue(tooLong.get("error").asText().contains("max-model-days"), tooLong.toString());
    assertEquals(200, f.get("/v1/attribution/compare?from=2026-11-04&to=2027-12-31").status(), "423 days of 7 models fit");
  }
}
