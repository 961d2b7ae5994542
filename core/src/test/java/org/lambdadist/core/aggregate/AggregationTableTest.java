package org.lambdadist.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.event.EventParser;
import org.lambdadist.core.event.ParseResult;
import org.lambdadist.core.generate.ClickstreamGenerator;
import org.lambdadist.core.testing.ClickstreamViews;
import org.lambdadist.core.testing.ViewOracle;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.MetricDefinition;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinition;
import org.lambdadist.core.view.ViewKey;

class AggregationTableTest {

  @Test
  void anySplitOfTheEventsMergesToTheOracle() throws Exception {
    ViewCatalog catalog = ClickstreamViews.catalog();
    EventParser parser = new EventParser();
    ViewOracle oracle = new ViewOracle(catalog);
    List<String> lines = new ArrayList<>();
    new ClickstreamGenerator(ClickstreamGenerator.Settings.defaults(20_000, 5)).forEachRemaining(lines::add);

    // Two "tasks" get a random split of the deduplicated events; their tables merge.
    AggregationTable a = new AggregationTable(catalog.views());
    AggregationTable b = new AggregationTable(catalog.views());
    SplittableRandom random = new SplittableRandom(1);
    Set<String> ids = new HashSet<>();
    int bad = 0;
    for (String line : lines) {
      byte[] raw = line.getBytes(StandardCharsets.UTF_8);
      oracle.accept(raw);
      ParseResult r = parser.parse(raw);
      if (r.isAccepted() && (r.event().eventId() == null || ids.add(r.event().eventId()))) {
        bad += (random.nextBoolean() ? a : b).add(r.event());
      }
    }
    assertTrue(bad > 0, "the generator's non-numeric revenues count as bad values");
    for (Map.Entry<ViewKey, RowAggregate> e : b.rows().entrySet()) {
      a.merge(e.getKey(), e.getValue());
    }
    assertEquals(List.of(), ViewOracle.differences(oracle.rows(), rendered(catalog, a), catalog, 0.05));
  }

  static Map<String, ViewOracle.Row> rendered(ViewCatalog catalog, AggregationTable table) {
    Map<String, ViewOracle.Row> rows = new LinkedHashMap<>();
    for (Map.Entry<ViewKey, RowAggregate> e : table.rows().entrySet()) {
      ViewKey k = e.getKey();
      ViewDefinition v = catalog.view(k.view());
      Map<String, Object> metrics = new LinkedHashMap<>();
      List<MetricDefinition> defs = v.metrics();
      for (int i = 0; i < defs.size(); i++) {
        metrics.put(defs.get(i).name(), e.getValue().state(i).result());
      }
      ViewOracle.Row row = new ViewOracle.Row(k.view(), k.granularity().label(),
          Granularity.formatInstant(k.bucketStart()), k.dimensions(), metrics);
      rows.put(row.id(), row);
    }
    return rows;
  }
}
