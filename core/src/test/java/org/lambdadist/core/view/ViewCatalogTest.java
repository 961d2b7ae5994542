package org.lambdadist.core.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.event.EventParser;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.event.EventFilter;

class ViewCatalogTest {
  static final String ARCHITECTURE_EXAMPLE = """
      {"views": [{"name": "campaign_traffic",
                  "filter": {"field": "type", "in": ["click", "conversion"]},
                  "dimensions": ["campaign", "channel"],
                  "granularities": ["minute", "day"],
                  "metrics": [{"name": "events", "type": "count"},
                              {"name": "revenue", "type": "sum", "field": "revenue"},
                              {"name": "users", "type": "distinct", "field": "user_id"}]}]}
      """;

  @Test
  void loadsTheArchitectureExample() throws Exception {
    ViewCatalog catalog = ViewCatalog.parse(ARCHITECTURE_EXAMPLE, "views.json");
    ViewDefinition v = catalog.view("campaign_traffic");
    assertEquals(List.of("campaign", "channel"), v.dimensions());
    assertEquals(List.of(Granularity.MINUTE, Granularity.DAY), v.granularities());
    assertEquals(new MetricDefinition("users", MetricType.DISTINCT, "user_id"), v.metrics().get(2));
    EventParser parser = new EventParser();
    assertTrue(v.filter().matches(parser.parse("{\"timestamp\":1,\"type\":\"click\"}".getBytes(StandardCharsets.UTF_8)).event()));
    assertFalse(v.filter().matches(parser.parse("{\"timestamp\":1,\"type\":\"view\"}".getBytes(StandardCharsets.UTF_8)).event()));
    assertEquals(ARCHITECTURE_EXAMPLE, catalog.json());
  }

  @Test
  void filtersCompareCanonicalValues() throws Exception {
    ViewCatalog c = ViewCatalog.parse("""
        {"views":[{"name":"v","granularities":["hour"],"metrics":[{"name":"n","type":"count"}],
          "filter":{"all":[{"field":"status","equals":200},{"not":{"field":"bot","exists":true}},
                           {"any":[{"field":"device.os","in":["ios","android"]},{"field":"x","equals":true}]}]}}]}
        """, "f");
    EventParser p = new EventParser();
    EventFilter f = c.view("v").filter();
    assertTrue(f.matches(p.parse("{\"timestamp\":1,\"status\":\"200\",\"device\":{\"os\":\"ios\"}}".getBytes(StandardCharsets.UTF_8)).event()));
    assertTrue(f.matches(p.parse("{\"timestamp\":1,\"status\":200.0,\"x\":true}".getBytes(StandardCharsets.UTF_8)).event()));
    assertFalse(f.matches(p.parse("{\"timestamp\":1,\"status\":200,\"bot\":1,\"x\":true}".getBytes(StandardCharsets.UTF_8)).event()));
    assertFalse(f.matches(p.parse("{\"timestamp\":1,\"status\":201,\"x\":true}".getBytes(StandardCharsets.UTF_8)).event()));
  }

  private static String fails(String json) {
    ViewDefinitionException e = assertThrows(ViewDefinitionException.class, () -> ViewCatalog.parse(json, "views.json"));
    return e.getMessage();
  }

  private static String view(String body) {
    return "{\"views\":[{\"name\":\"traffic\"," + body + "}]}";
  }

  @Test
  void badDefinitionsNameTheViewAndTheField() {
    String ok = "\"granularities\":[\"day\"],\"metrics\":[{\"name\":\"n\",\"type\":\"count\"}]";
    assertTrue(fails("{\"views\":[").contains("not valid JSON"));
    assertTrue(fails("{\"views\":[]}").contains("\"views\""));
    assertTrue(fails("{\"vews\":[]}").contains("'vews'"));
    assertTrue(fails("{\"views\":[{\"granularities\":[\"day\"]}]}").contains("views[0]: field 'name'"));
    String m = fails(view("\"granularities\":[\"week\"],\"metrics\":[{\"name\":\"n\",\"type\":\"count\"}]"));
    assertTrue(m.contains("view 'traffic'") && m.contains("granularities[0]") && m.contains("week"), m);
    m = fails(view("\"granularities\":[\"day\"],\"metrics\":[{\"name\":\"n\",\"type\":\"median\"}]"));
    assertTrue(m.contains("view 'traffic'") && m.contains("metrics[0].type") && m.contains("median"), m);
    m = fails(view("\"granularities\":[\"day\"],\"metrics\":[{\"name\":\"s\",\"type\":\"sum\"}]"));
    assertTrue(m.contains("view 'traffic'") && m.contains("metrics[0].field"), m);
    m = fails(view(ok + ",\"dimension\":[\"a\"]"));
    assertTrue(m.contains("view 'traffic'") && m.contains("'dimension'"), m);
    m = fails(view(ok + ",\"dimensions\":[\"a\",\"a\"]"));
    assertTrue(m.contains("dimensions[1]"), m);
    m = fails(view(ok + ",\"filter\":{\"field\":\"type\",\"like\":\"x\"}"));
    assertTrue(m.contains("view 'traffic'") && m.contains("filter"), m);
    m = fails(view(ok + ",\"filter\":{\"field\":\"type\",\"in\":[]}"));
    assertTrue(m.contains("filter.in"), m);
    m = fails("{\"views\":[{\"name\":\"a\"," + ok + "},{\"name\":\"a\"," + ok + "}]}");
    assertTrue(m.contains("view 'a'") && m.contains("duplicate"), m);
    m = fails(view("\"granularities\":[\"day\"],\"metrics\":[{\"name\":\"n\",\"type\":\"count\"},{\"name\":\"n\",\"type\":\"count\"}]"));
    assertTrue(m.contains("metrics[1].name"), m);
  }

  @Test
  void readsTheAttributionSection() throws Exception {
    ViewCatalog c = ClickstreamViewsHolder.shipped();
    org.lambdadist.core.attribution.AttributionConfig a = c.attribution();
    assertEquals("user_id", a.userField());
    assertEquals("channel", a.channelField());
    assertEquals("revenue", a.revenueField());
    assertEquals(30.0, a.settings().lookbackDays());
    assertEquals("direct", a.settings().directChannel());
    String m = fails("{\"views\":[{\"name\":\"v\",\"granularities\":[\"day\"],\"metrics\":[{\"name\":\"n\",\"type\":\"count\"}]}],"
        + "\"attribution\":{\"user_field\":\"u\",\"touch\":{\"filter\":{\"field\":\"t\",\"equals\":1}},"
        + "\"conversion\":{\"filter\":{\"field\":\"t\",\"equals\":2}}}}");
    assertTrue(m.contains("attribution") && m.contains("channel_field"), m);
  }

  /** The shipped views file, read from the repository. */
  static final class ClickstreamViewsHolder {
    static ViewCatalog shipped() {
      return org.lambdadist.core.testing.ClickstreamViews.catalog();
    }
  }
}
