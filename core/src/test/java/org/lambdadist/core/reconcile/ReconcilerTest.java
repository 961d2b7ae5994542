package org.lambdadist.core.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.aggregate.DistinctState;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.codec.ViewKeyCodec;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewKey;

class ReconcilerTest {
  private static final ViewCatalog VIEWS = catalog();
  private static final String AT = "2026-12-02T00:00:00Z";

  private static ViewCatalog catalog() {
    try {
      return ViewCatalog.parse("""
          {"views": [{"name": "traffic", "dimensions": ["channel"], "granularities": ["minute", "day"],
                      "metrics": [{"name": "events", "type": "count"},
                                  {"name": "revenue", "type": "sum", "field": "revenue"},
                                  {"name": "top", "type": "max", "field": "revenue"},
                                  {"name": "users", "type": "distinct", "field": "user"}]}]}
          """, "test");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ViewKey key(String channel, Granularity g) {
    return new ViewKey("traffic", List.of(channel), g, 60_000L);
  }

  /** A row of {@code events} events, each with revenue 2, of users {@code u0..u(users-1)} repeated. */
  private static RowAggregate row(int events, int users) {
    RowAggregate r = RowAggregate.zero(VIEWS.view("traffic").metrics());
    for (int i = 0; i < events; i++) {
      r.state(0).add(Boolean.TRUE);
      r.state(1).add(2L);
      r.state(2).add(2L);
      r.state(3).add("u" + (i % users));
    }
    return r;
  }

  private static RowAggregate withUsers(int users, int offset) {
    RowAggregate r = RowAggregate.zero(VIEWS.view("traffic").metrics());
    for (int i = 0; i < users; i++) {
      r.state(0).add(Boolean.TRUE);
      r.state(3).add("u" + (i + offset));
    }
    return r;
  }

  private static MetricDifference metric(ViewReconciliation v, String name) {
    return v.metrics().stream().filter(m -> m.metric().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void identicalRowsDoNotDiffer() {
    Reconciler r = new Reconciler(VIEWS, 3);
    RowAggregate a = row(10, 4);
    r.compareEncoded(ViewKeyCodec.encode(key("email", Granularity.MINUTE)), RowAggregateCodec.encode(a),
        RowAggregateCodec.encode(a.copy()));
    r.compare(key("email", Granularity.DAY), a, a.copy());
    ReconciliationReport report = r.report("v1", List.of(3L), AT, 5);
    ViewReconciliation v = report.views().get(0);
    assertEquals(2, v.rowsCompared());
    assertEquals(0, v.rowsDiffering());
    assertEquals(0L, v.speedOnlyEvents());
    assertEquals(0L, v.batchOnlyEvents());
    for (MetricDifference m : v.metrics()) {
      assertEquals(0, m.rowsDiffering(), m.toString());
      assertEquals(0.0, m.largestDifference(), m.toString());
    }
    assertEquals(List.of("events", "revenue", "top", "users"), v.metrics().stream().map(MetricDifference::metric).toList());
    assertEquals(2, report.rowsCompared());
    assertTrue(report.differingViews().isEmpty());
  }

  @Test
  void aDifferingCountIsADifferenceAndCountsTheEventsOneSideHas() {
    Reconciler r = new Reconciler(VIEWS, 3);
    r.compare(key("email", Granularity.MINUTE), row(10, 4), row(12, 4));
    r.compare(key("email", Granularity.DAY), row(10, 4), row(12, 4)); // the same events again: counted once
    ViewReconciliation v = r.report("v1", List.of(3L), AT, 5).views().get(0);
    assertEquals(2, v.rowsDiffering());
    assertEquals(2, metric(v, "events").rowsDiffering());
    assertEquals(2.0, metric(v, "events").largestDifference());
    assertEquals(4.0, metric(v, "revenue").largestDifference());
    assertEquals(0, metric(v, "top").rowsDiffering(), "the same max");
    assertEquals(0L, v.speedOnlyEvents());
    assertEquals(2L, v.batchOnlyEvents());
  }

  @Test
  void distinctSketchesWithinTheBoundAgreeAndBeyondItDiffer() {
    // Over the exact limit both sides are sketches: 5,000 users against 5,040 (0.8%) is within
    // 3 standard errors (4.9%); against 6,000 (20%) it is not.
    RowAggregate speed = withUsers(5_000, 0);
    RowAggregate close = withUsers(5_040, 0);
    RowAggregate far = withUsers(6_000, 0);
    DistinctState s = (DistinctState) speed.state(3);
    assertTrue(!s.isExact());
    double bound = Reconciler.distinctBound(s, (DistinctState) close.state(3), 3);
    assertTrue(bound > 200 && bound < 300, "3 x 1.6% of about 5,000: " + bound);

    Reconciler r = new Reconciler(VIEWS, 3);
    r.compare(key("email", Granularity.MINUTE), speed, withCount(close, 5_000));
    ViewReconciliation within = r.report("v1", List.of(3L), AT, 5).views().get(0);
    assertEquals(0, within.rowsDiffering(), within.toString());
    assertEquals(1, metric(within, "users").rowsWithinBound());
    assertTrue(metric(within, "users").largestDifference() > 0);

    Reconciler r2 = new Reconciler(VIEWS, 3);
    r2.compare(key("email", Granularity.MINUTE), speed, withCount(far, 5_000));
    ViewReconciliation beyond = r2.report("v1", List.of(3L), AT, 5).views().get(0);
    assertEquals(1, beyond.rowsDiffering());
    assertEquals(1, metric(beyond, "users").rowsDiffering());
    assertEquals(0, metric(beyond, "events").rowsDiffering());
  }

  /** The row with its event count set to {@code events}, so only the distinct metric differs. */
  private static RowAggregate withCount(RowAggregate row, int events) {
    RowAggregate r = RowAggregate.zero(VIEWS.view("traffic").metrics());
    for (int i = 0; i < events; i++) {
      r.state(0).add(Boolean.TRUE);
    }
    r.state(3).merge(row.state(3));
    return r;
  }

  @Test
  void exactDistinctSetsMustBeEqual() {
    Reconciler r = new Reconciler(VIEWS, 3);
    r.compare(key("email", Granularity.MINUTE), withUsers(10, 0), withUsers(10, 1));
    ViewReconciliation v = r.report("v1", List.of(3L), AT, 5).views().get(0);
    assertEquals(1, metric(v, "users").rowsDiffering(), "same size, other values: exact sets differ");
    assertEquals(0.0, metric(v, "users").largestDifference());
  }

  @Test
  void rowsOnOneSideOnlyDifferAndTheirEventsAreCounted() {
    Reconciler r = new Reconciler(VIEWS, 3);
    r.compare(key("email", Granularity.MINUTE), row(3, 2), null);
    r.compare(key("email", Granularity.DAY), row(3, 2), null);
    r.compare(key("search", Granularity.MINUTE), null, row(5, 2));
    r.compare(key("social", Granularity.MINUTE), row(1, 1), row(1, 1));
    ViewReconciliation v = r.report("v1", List.of(3L, 4L), AT, 5).views().get(0);
    assertEquals(4, v.rowsCompared());
    assertEquals(3, v.rowsDiffering());
    assertEquals(2, v.speedOnlyRows());
    assertEquals(1, v.batchOnlyRows());
    assertEquals(3L, v.speedOnlyEvents(), "minute rows only: each event once");
    assertEquals(5L, v.batchOnlyEvents());
    assertEquals(2.0, metric(v, "top").largestDifference(), "a missing max counts as 0");
    assertThrows(IllegalArgumentException.class, () -> r.compare(key("x", Granularity.MINUTE), null, null));
  }

  @Test
  void aBatchRowOfAnotherShapeThanTheViewIsADifferenceNotAFailure() {
    Reconciler r = new Reconciler(VIEWS, 3);
    RowAggregate otherShape = RowAggregate.zero(List.of(
        new org.lambdadist.core.view.MetricDefinition("events", org.lambdadist.core.view.MetricType.COUNT, null)));
    otherShape.state(0).add(Boolean.TRUE);
    r.compare(key("email", Granularity.MINUTE), row(1, 1), otherShape);
    r.compare(key("search", Granularity.MINUTE), row(2, 1), row(2, 1));
    ViewReconciliation v = r.report("v1", List.of(3L), AT, 5).views().get(0);
    assertEquals(2, v.rowsCompared());
    assertEquals(1, v.rowsDiffering(), "the row of another shape differs; the other row still agrees");
  }

  @Test
  void theReportRoundTripsThroughJson() {
    Reconciler r = new Reconciler(VIEWS, 3);
    r.compare(key("email", Granularity.MINUTE), row(3, 2), row(4, 2));
    ReconciliationReport report = r.report("v20261202T000000Z", List.of(3L, 4L), AT, 12);
    String json = report.toJson();
    assertTrue(json.contains("\"rows_differing\":1"), json);
    assertEquals(report, ReconciliationReport.fromJson(json));
    ReconciliationReport failed = ReconciliationReport.failed("v1", List.of(), AT, 1, 3, "no partials");
    assertEquals(failed, ReconciliationReport.fromJson(failed.toJson()));
    assertNull(ReconciliationReport.fromJson("{\"version\":\"v1\",\"new_field\":1}").error());
  }
}
