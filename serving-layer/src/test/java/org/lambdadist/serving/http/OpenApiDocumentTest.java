package org.lambdadist.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.attribution.AttributionRow;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewDefinition;
import org.lambdadist.core.view.ViewKey;

/**
 * {@code /v1/openapi.json} describes every route the API serves and nothing else, and the API's
 * real answers (every endpoint, successes and errors) match the schema the document gives for
 * their status.
 */
class OpenApiDocumentTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ApiFixture f = new ApiFixture();

  private JsonNode document() throws Exception {
    ApiResponse r = f.get("/v1/openapi.json");
    assertEquals(200, r.status());
    JsonNode doc = JSON.readTree(r.body());
    assertEquals("3.1.0", doc.get("openapi").asText());
    return doc;
  }

  @Test
  void everyRouteIsDescribedAndEveryDescribedPathIsARoute() throws Exception {
    JsonNode doc = document();
    TreeSet<String> described = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> p = paths.next();
      for (Iterator<String> methods = p.getValue().fieldNames(); methods.hasNext(); ) {
        described.add(methods.next().toUpperCase(java.util.Locale.ROOT) + " " + p.getKey());
      }
    }
    assertEquals(new TreeSet<>(f.api().routes()), described);
  }

  @Test
  void realAnswersMatchTheSchemaOfTheirStatus() throws Exception {
    JsonNode doc = document();
    ViewDefinition view = f.catalog.views().get(0);
    long t = Granularity.MINUTE.bucketStart(java.time.Instant.parse("2026-11-30T10:00:00Z").toEpochMilli());
    f.reads.serve("v1", 1, 3, ApiFixture.VIEWS);
    f.reads.batch.put(new ViewKey("traffic", List.of("spring", "email"), Granularity.MINUTE, t), row(view, 2));
    f.reads.markRealtime(5);
    f.reads.realtime.put(new ViewKey("traffic", List.of("spring", "email"), Granularity.MINUTE, t + 60_000),
        Map.of(5L, row(view, 1)));
    f.reads.attribution.put("v1/linear", List.of(new AttributionRow("linear", "2026-11-30", "email", "spring", 1.0, 9.5)));
    String lookup = "/v1/views/traffic/minute?from=2026-11-30T09:00:00Z&to=2026-11-30T11:00:00Z&campaign=spring&channel=email";
    List<String> failures = new ArrayList<>();
    check(doc, "GET", "/v1/views/{view}/{granularity}", lookup, null, 200, failures);
    JsonNode parts = check(doc, "GET", "/v1/views/{view}/{granularity}", lookup + "&parts=true", null, 200, failures);
    assertTrue(parts.get("rows").get(0).get("realtime").isNull(), "the first row is the batch's alone: " + parts);
    assertEquals(1, parts.get("rows").get(1).get("realtime").get("events").asLong(), parts.toString());
    check(doc, "GET", "/v1/views/{view}/{granularity}", "/v1/views/traffic/minute?from=2026-11-30T09:00:00Z"
        + "&to=2026-11-30T11:00:00Z&campaign=spring", null, 400, failures);
    check(doc, "GET", "/v1/views/{view}/{granularity}", "/v1/views/nope/minute?from=1&to=2", null, 404, failures);
    String body = "{\"from\":\"2026-11-30T09:00:00Z\",\"to\":\"2026-11-30T11:00:00Z\",\"keys\":"
        + "[{\"campaign\":\"spring\",\"channel\":\"email\"},{\"campaign\":\"spring\"},{\"campaign\":null,\"channel\":\"x\"}]}";
    check(doc, "POST", "/v1/views/{view}/{granularity}/lookup", "/v1/views/traffic/minute/lookup", body, 200, failures);
    check(doc, "POST", "/v1/views/{view}/{granularity}/lookup", "/v1/views/traffic/minute/lookup", "{", 400, failures);
    check(doc, "GET", "/v1/views", "/v1/views", null, 200, failures);
    check(doc, "GET", "/v1/attribution/{model}", "/v1/attribution/linear?from=2026-11-30&to=2026-11-30", null, 200,
        failures);
    check(doc, "GET", "/v1/attribution/{model}", "/v1/attribution/compare?from=2026-11-30&to=2026-11-30&by=campaign",
        null, 200, failures);
    check(doc, "GET", "/v1/attribution/{model}", "/v1/attribution/nope?from=2026-11-30&to=2026-11-30", null, 404,
        failures);
    check(doc, "GET", "/v1/status", "/v1/status", null, 200, failures);
    f.reads.cycle = org.lambdadist.storage.hbase.CycleReport.started(java.time.Instant.parse("2026-11-30T11:00:00Z"))
        .withStep("archive", 1200).withAggregate(1, 2, "v2")
        .failed(java.time.Instant.parse("2026-11-30T11:01:00Z"), "attribute", "no room");
    f.reads.reconciliation = MetricsEndpointTest.reconciliation();
    JsonNode withCycle = check(doc, "GET", "/v1/status", "/v1/status", null, 200, failures);
    assertEquals(4160, withCycle.get("reconciliation").get("views").get(0).get("rows_compared").asLong());
    assertEquals("failed", withCycle.get("cycle").get("result").asText());
    assertEquals(1200, withCycle.get("cycle").get("steps").get(0).get("millis").asLong());
    check(doc, "GET", "/v1/health", "/v1/health", null, 200, failures);
    f.reads.failure = new java.io.IOException("away");
    check(doc, "GET", "/v1/status", "/v1/status", null, 503, failures);
    check(doc, "GET", "/v1/views", "/v1/views", null, 503, failures);
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  @Test
  void pagesAndMetricsHaveTheContentTypesDescribed() throws Exception {
    JsonNode doc = document();
    for (String route : f.api().routes()) {
      String[] methodAndPath = route.split(" ", 2);
      if (!methodAndPath[0].equals("GET") || methodAndPath[1].contains("{") || methodAndPath[1].startsWith("/v1/")) {
        continue;
      }
      ApiResponse r = f.get(methodAndPath[1]);
      assertEquals(200, r.status(), route);
      JsonNode content = doc.get("paths").get(methodAndPath[1]).get("get").get("responses").get("200").get("content");
      String described = content.fieldNames().next();
      assertNotNull(r.contentType(), route + " names its content type");
      assertTrue(r.contentType().startsWith(described), route + ": " + r.contentType() + " vs " + described);
      assertTrue(r.body().length > 0, route);
    }
  }

  private static RowAggregate row(ViewDefinition view, long events) {
    return LookupEndpointTest.row(events, 3, "u" + events);
  }

  /** Asks the API and validates its answer against the document's schema for that route, method and status. */
  private JsonNode check(JsonNode doc, String method, String route, String pathAndQuery, String body, int status,
                         List<String> failures) throws Exception {
    ApiResponse r = method.equals("GET") ? f.get(pathAndQuery) : f.post(pathAndQuery, body);
    assertEquals(status, r.status(), method + " " + pathAndQuery + ": " + r.json());
    JsonNode responses = doc.get("paths").get(route).get(method.toLowerCase(java.util.Locale.ROOT)).get("responses");
    JsonNode described = responses.get(Integer.toString(status));
    assertNotNull(described, method + " " + route + " does not describe status " + status);
    JsonNode schemaNode = described.get("content").get("application/json").get("schema");
    ObjectNode root = JSON.createObjectNode();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.set("components", doc.get("components"));
    root.set("allOf", JSON.createArrayNode().add(schemaNode));
    Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(root.toString());
    JsonNode answer = JSON.readTree(r.body());
    List<Error> errors = schema.validate(answer);
    if (!errors.isEmpty()) {
      failures.add(method + " " + pathAndQuery + " (" + status + "): " + errors + " in " + answer);
    }
    return answer;
  }
}
