package org.lambdadist.serving.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text tables of each answer, from answers shaped exactly as the API writes them. */
class AnswerTableTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COVERAGE = "\"coverage\":{\"batch_version\":\"v7\",\"batch_epochs\":{\"first\":1,\"last\":3},"
      + "\"batch_loaded_at\":\"2026-11-30T00:00:00Z\",\"speed_epochs\":[4,5,6,9]}";

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  private static String row(String bucket, String key, String metrics) {
    return "{\"view\":\"traffic\",\"granularity\":\"minute\",\"bucket\":\"" + bucket + "\",\"key\":" + key
        + ",\"metrics\":" + metrics + "}";
  }

  @Test
  void aLookupIsOneLinePerBucketWithEachMetricRightAligned() throws Exception {
    String key = "{\"campaign\":\"w1\",\"channel\":null}";
    JsonNode answer = json("{\"view\":\"traffic\",\"granularity\":\"minute\",\"key\":" + key + ","
        + "\"from\":\"2026-11-01T10:00:00Z\",\"to\":\"2026-11-01T10:05:00Z\",\"rows\":["
        + row("2026-11-01T10:00:00Z", key, "{\"events\":3,\"revenue\":1250.5,\"users\":null}") + ","
        + row("2026-11-01T10:03:00Z", key, "{\"events\":12345,\"revenue\":0,\"users\":7}") + "]," + COVERAGE + "}");
    assertEquals(String.join("\n",
        "traffic minute, from 2026-11-01T10:00:00Z to 2026-11-01T10:05:00Z, campaign=w1, channel=(missing)",
        "bucket                events  revenue  users",
        "2026-11-01T10:00:00Z       3   1250.5      -",
        "2026-11-01T10:03:00Z   12345        0      7",
        "batch version v7 (epochs 1-3), speed layer epochs 4-6, 9",
        ""), AnswerTable.lookup(answer));
  }

  @Test
  void aLookupWithoutRowsSaysSoAndAnUnloadedServiceHasNoBatchVersion() throws Exception {
    JsonNode answer = json("{\"view\":\"traffic\",\"granularity\":\"day\",\"key\":{\"campaign\":\"a\",\"channel\":\"b\"},"
        + "\"from\":\"2026-11-01T00:00:00Z\",\"to\":\"2026-11-02T00:00:00Z\",\"rows\":[],\"coverage\":{\"batch_version\":null,"
        + "\"batch_epochs\":null,\"batch_loaded_at\":null,\"speed_epochs\":[]}}");
    assertEquals(String.join("\n",
        "traffic day, from 2026-11-01T00:00:00Z to 2026-11-02T00:00:00Z, campaign=a, channel=b",
        "(no rows)",
        "no batch version",
        ""), AnswerTable.lookup(answer));
  }

  @Test
  void aMultiKeyLookupIsOneBlockPerKeyInTheOrderAskedWithARefusedKeyNamedAsAsked() throws Exception {
    String k1 = "{\"campaign\":\"w1\",\"channel\":\"email\"}";
    String k3 = "{\"campaign\":\"w\\u00e9\",\"channel\":\"line\\nbreak\"}";
    JsonNode answer = json("{\"view\":\"traffic\",\"granularity\":\"minute\",\"from\":\"2026-11-01T10:00:00Z\","
        + "\"to\":\"2026-11-01T10:05:00Z\",\"results\":["
        + "{\"key\":" + k1 + ",\"rows\":[" + row("2026-11-01T10:01:00Z", k1, "{\"events\":1,\"users\":1}") + "]},"
        + "{\"error\":\"unknown dimension 'nope' (view 'traffic' has campaign, channel)\",\"status\":400},"
        + "{\"key\":" + k3 + ",\"rows\":[]}],"
        + COVERAGE + "}");
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("nope", "x");
    List<Map<String, String>> asked = Arrays.asList(Map.of("campaign", "w1", "channel", "email"), refused,
        Map.of("campaign", "wé", "channel", "line\nbreak"));
    assertEquals(String.join("\n",
        "traffic minute, from 2026-11-01T10:00:00Z to 2026-11-01T10:05:00Z, 3 keys",
        "",
        "key campaign=w1, channel=email",
        "bucket                events  users",
        "2026-11-01T10:01:00Z       1      1",
        "",
        "key nope=x: refused: unknown dimension 'nope' (view 'traffic' has campaign, channel)",
        "",
        "key campaign=wé, channel=line\\u000abreak",
        "(no rows)",
        "",
        "batch version v7 (epochs 1-3), speed layer epochs 4-6, 9",
        ""), AnswerTable.lookups(answer, asked));
  }

  @Test
  void theViewsAreOneLineEachWithTheirSchema() throws Exception {
    JsonNode answer = json("{\"batch_version\":\"v7\",\"views\":[{\"name\":\"traffic\",\"dimensions\":[\"campaign\",\"channel\"],"
        + "\"granularities\":[\"minute\",\"day\"],\"metrics\":[{\"name\":\"events\",\"type\":\"count\",\"field\":null},"
        + "{\"name\":\"revenue\",\"type\":\"sum\",\"field\":\"revenue\"}]},{\"name\":\"orders_by_country\",\"dimensions\":"
        + "[\"country\"],\"granularities\":[\"day\"],\"metrics\":[{\"name\":\"orders\",\"type\":\"count\",\"field\":null}]}]}");
    assertEquals(String.join("\n",
        "view               dimensions         granularities  metrics",
        "traffic            campaign, channel  minute, day    events=count revenue=sum(revenue)",
        "orders_by_country  country            day            orders=count",
        "batch version v7",
        ""), AnswerTable.views(answer));
  }

  @Test
  void attributionIsATableOfCreditsAndCompareOneBlockPerModel() throws Exception {
    String coverage = "\"coverage\":{\"batch_version\":\"v7\",\"batch_epochs\":{\"first\":1,\"last\":1},"
        + "\"batch_loaded_at\":\"2026-11-30T00:00:00Z\",\"speed_epochs\":[]}";
    JsonNode one = json("{\"model\":\"linear\",\"from\":\"2026-11-01\",\"to\":\"2026-11-05\",\"by\":\"campaign\",\"rows\":["
        + "{\"channel\":\"email\",\"campaign\":\"w1\",\"conversions\":2.5,\"revenue\":120.25},"
        + "{\"channel\":\"search\",\"campaign\":\"brand\",\"conversions\":11,\"revenue\":3000}]," + coverage + "}");
    assertEquals(String.join("\n",
        "model linear, days 2026-11-01 to 2026-11-05 by campaign",
        "channel  campaign  conversions  revenue",
        "email    w1                2.5   120.25",
        "search   brand              11     3000",
        "batch version v7 (epochs 1)",
        ""), AnswerTable.attribution(one));
    JsonNode compare = json("{\"from\":\"2026-11-01\",\"to\":\"2026-11-01\",\"by\":\"channel\",\"models\":{"
        + "\"first_touch\":[{\"channel\":\"email\",\"conversions\":1.0,\"revenue\":10.0}],\"last_touch\":[]}," + coverage + "}");
    assertEquals(String.join("\n",
        "every model, days 2026-11-01 to 2026-11-01 by channel",
        "",
        "model first_touch",
        "channel  conversions  revenue",
        "email            1.0     10.0",
        "",
        "model last_touch",
        "(no rows)",
        "",
        "batch version v7 (epochs 1)",
        ""), AnswerTable.attribution(compare));
  }
}
