package org.lambdadist.core.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.aggregate.AggregationTable;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.event.Event;
import org.lambdadist.core.event.EventParser;
import org.lambdadist.core.event.ParseResult;
import org.lambdadist.core.generate.ClickstreamGenerator;
import org.lambdadist.core.testing.ClickstreamViews;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewKey;

/**
 * The merge law: for any assignment of events to arrival epochs and any batch coverage E,
 * batch(≤ E) ⊕ realtime cells (> E) equals the aggregate of all events.
 */
class ViewMergeTest {
  @Test
  void anySplitBetweenBatchAndRealtimeMergesToTheWhole() throws Exception {
    ViewCatalog catalog = ClickstreamViews.catalog();
    EventParser parser = new EventParser();
    List<Event> events = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    new ClickstreamGenerator(ClickstreamGenerator.Settings.defaults(6_000, 17)).forEachRemaining(line -> {
      ParseResult r = parser.parse(line.getBytes(StandardCharsets.UTF_8));
      if (r.isAccepted() && (r.event().eventId() == null || ids.add(r.event().eventId()))) {
        events.add(r.event());
      }
    });
    SplittableRandom random = new SplittableRandom(99);
    for (int round = 0; round < 8; round++) {
      int epochs = 1 + random.nextInt(6);
      long coveredThrough = random.nextInt(epochs + 2) - 1; // -1: no batch yet; epochs: all in batch
      AggregationTable all = new AggregationTable(catalog.views());
      AggregationTable batch = new AggregationTable(catalog.views());
      Map<Long, AggregationTable> realtime = new HashMap<>();
      for (Event e : events) {
        long epoch = 1 + random.nextInt(epochs);
        all.add(e);
        if (epoch <= coveredThrough) {
          batch.add(e);
        }
        // The speed layer saw every epoch; cells of covered epochs must be ignored.
        realtime.computeIfAbsent(epoch, k -> new AggregationTable(catalog.views())).add(e);
      }
      for (Map.Entry<ViewKey, RowAggregate> whole : all.rows().entrySet()) {
        ViewKey key = whole.getKey();
        Map<Long, RowAggregate> batchRows = new HashMap<>();
        if (batch.rows().containsKey(key)) {
          batchRows.put(key.bucketStart(), batch.rows().get(key));
        }
        Map<Long, RowAggregate> cells = new HashMap<>();
        realtime.forEach((epoch, table) -> {
          if (table.rows().containsKey(key)) {
            cells.put(epoch, table.rows().get(key));
          }
        });
        NavigableMap<Long, RowAggregate> merged = ViewMerge.mergeSeries(catalog.view(key.view()).metrics(),
            batchRows, Map.of(key.bucketStart(), cells), coveredThrough);
        assertEquals(whole.getValue(), merged.get(key.bucketStart()), key + " E=" + coveredThrough);
        for (int m = 0; m < whole.getValue().size(); m++) {
          assertEquals(whole.getValue().state(m).result(), merged.get(key.bucketStart()).state(m).result());
        }
      }
    }
  }

  @Test
  void bucketsWithOnlyCoveredCellsAreLeftOutAndInputsAreNotChanged() throws Exception {
    var metrics = ClickstreamViews.catalog().view("events_by_type").metrics();
    RowAggregate cell = RowAggregate.zero(metrics);
    cell.state(0).add(Boolean.TRUE);
    RowAggregate batchRow = RowAggregate.zero(metrics);
    batchRow.state(0).add(Boolean.TRUE);
    NavigableMap<Long, RowAggregate> merged = ViewMerge.mergeSeries(metrics,
        Map.of(0L, batchRow), Map.of(0L, Map.of(3L, cell, 4L, cell), 60_000L, Map.of(2L, cell)), 3);
    assertEquals(Set.of(0L), merged.keySet());
    assertEquals(2L, merged.get(0L).state(0).result());
    assertEquals(1L, batchRow.state(0).result(), "inputs are not changed");
  }

  @Test
  void aRowOfAnotherShapeFailsLoudly() throws Exception {
    var catalog = ClickstreamViews.catalog();
    RowAggregate other = RowAggregate.zero(catalog.view("page_traffic").metrics());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ViewMerge.mergeSeries(
        catalog.view("events_by_type").metrics(), Map.of(0L, other), Map.of(), 1));
    assertTrue(e.getMessage().contains("disagree"));
    IllegalStateException batchOnly = assertThrows(IllegalStateException.class, () -> ViewMerge.batchOnly(
        catalog.view("events_by_type").metrics(), new java.util.TreeMap<>(Map.of(60_000L, other))));
    assertTrue(batchOnly.getMessage().startsWith("batch row at 60000 "), batchOnly.getMessage());
    IllegalStateException realtime = assertThrows(IllegalStateException.class, () -> ViewMerge.mergeSeries(
        catalog.view("events_by_type").metrics(), Map.of(), Map.of(60_000L, Map.of(7L, other)), 1));
    assertTrue(realtime.getMessage().startsWith("realtime cell at 60000 epoch 7 "), realtime.getMessage());
  }

  @Test
  void batchOnlyServesSortedBatchRowsAsTheyAre() {
    var metrics = ClickstreamViews.catalog().view("events_by_type").metrics();
    RowAggregate row = RowAggregate.zero(metrics);
    row.state(0).add(Boolean.TRUE);
    NavigableMap<Long, RowAggregate> sorted = new java.util.TreeMap<>(Map.of(60_000L, row, 0L, row));
    assertTrue(ViewMerge.batchOnly(metrics, sorted) == sorted, "a sorted map is not copied");
    NavigableMap<Long, RowAggregate> fromHash = ViewMerge.batchOnly(metrics, new HashMap<>(Map.of(60_000L, row, 0L, row)));
    assertEquals(List.of(0L, 60_000L), new ArrayList<>(fromHash.keySet()));
    assertThrows(UnsupportedOperationException.class, () -> fromHash.put(1L, row));
  }
}
