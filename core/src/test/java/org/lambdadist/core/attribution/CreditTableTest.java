package org.lambdadist.core.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.event.Event;
import org.lambdadist.core.event.EventLimits;
import org.lambdadist.core.event.EventParser;
import org.lambdadist.core.attribution.AttributionRow;
import org.lambdadist.core.testing.ClickstreamViews;

/** The credit table monoid and the one journey classification. */
class CreditTableTest {
  @Test
  void mergingPartialTablesEqualsOneTableAndRegroupingSumsOverDays() {
    CreditTable whole = new CreditTable();
    CreditTable a = new CreditTable();
    CreditTable b = new CreditTable();
    List<Credit> half = List.of(new Credit("email", "w1", 0.5), new Credit("search", null, 0.5));
    whole.credit("linear", "2026-11-01", half, 10);
    whole.credit("linear", "2026-11-02", half, 30);
    a.credit("linear", "2026-11-01", half, 10);
    b.credit("linear", "2026-11-02", half, 30);
    a.merge(b);
    assertEquals(whole.rows(), a.rows());
    assertEquals(4, a.size());
    List<AttributionRow> byChannel = CreditTable.regroup(a.rows(), false);
    assertEquals(List.of(new AttributionRow(null, null, "email", null, 1.0, 20.0),
        new AttributionRow(null, null, "search", null, 1.0, 20.0)), byChannel);
    assertEquals("w1", CreditTable.regroup(a.rows(), true).get(0).campaign());
  }

  private static Event event(String json) {
    return new EventParser().parse(json.getBytes(StandardCharsets.UTF_8)).event();
  }

  @Test
  void eventsAreTouchesConversionsOrNeitherByOneRule() {
    AttributionConfig c = ClickstreamViews.catalog().attribution();
    EventLimits limits = EventLimits.defaults();
    JourneyEvent touch = JourneyEvent.classify(event("{\"timestamp\":1,\"type\":\"click\",\"user_id\":\"u\","
        + "\"channel\":\"email\",\"campaign\":7}"), c, limits);
    assertEquals(new JourneyEvent(JourneyEvent.Kind.TOUCH, "u", "email", "7", 0, false), touch);
    JourneyEvent conversion = JourneyEvent.classify(event("{\"timestamp\":1,\"type\":\"conversion\",\"user_id\":\"u\","
        + "\"revenue\":\"12.5\"}"), c, limits);
    assertEquals(new JourneyEvent(JourneyEvent.Kind.CONVERSION, "u", null, null, 12.5, false), conversion);
    JourneyEvent huge = JourneyEvent.classify(event("{\"timestamp\":1,\"type\":\"conversion\",\"user_id\":\"u\","
        + "\"revenue\":1e999}"), c, limits);
    assertEquals(new JourneyEvent(JourneyEvent.Kind.CONVERSION, "u", null, null, 0, true), huge);
    assertEquals(JourneyEvent.Kind.NO_USER,
        JourneyEvent.classify(event("{\"timestamp\":1,\"type\":\"click\"}"), c, limits).kind());
    assertEquals(JourneyEvent.Kind.NONE,
        JourneyEvent.classify(event("{\"timestamp\":1,\"type\":\"page_view\",\"user_id\":\"u\"}"), c, limits).kind());
  }
}
