package org.lambdadist.core.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.generate.ClickstreamGenerator;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.testing.ClickstreamViews;
import org.lambdadist.core.testing.HostileEvents;

/** What the rules decided, written and read back, is what they decided: field for field, type and scale. */
class ProjectedEventsTest {

  @Test
  void anEventNoViewAggregatesIsKeptByPositionAndIdPresenceOnly() {
    EventRules rules = EventRules.of(ClickstreamViews.catalog(), EventLimits.defaults());
    ProjectedEvents.Buffer buffer = new ProjectedEvents.Buffer();
    List<int[]> bounds = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    for (String json : List.of("{\"timestamp\":\"2026-11-01T00:00:00Z\",\"event_id\":\"a\",\"type\":\"nothing-counts-me\"}",
        "{\"timestamp\":\"2026-11-01T00:00:00Z\",\"type\":\"nothing-counts-me\"}")) {
      Event e = rules.read(json.getBytes(StandardCharsets.UTF_8)).event();
      int start = buffer.size();
      ProjectedEvents.writeAcceptedWithoutFields(buffer, 1L << 40, 3, 1L << 35, e);
      bounds.add(new int[] {start, buffer.size() - start});
      events.add(e);
    }
    ProjectedEvents.Reader reader = new ProjectedEvents.Reader(rules.projection());
    for (int i = 0; i < events.size(); i++) {
      reader.read(buffer.bytes(), bounds.get(i)[0], bounds.get(i)[1]);
      assertTrue(reader.isAccepted());
      assertFalse(reader.hasFields());
      assertEquals(events.get(i).eventId() != null, reader.hasEventId());
      assertEquals(null, reader.event());
      assertEquals(1L << 40, reader.epoch());
      assertEquals(3, reader.partition());
      assertEquals(1L << 35, reader.offset());
    }
    assertTrue(bounds.get(0)[1] < 16, "a handful of bytes: " + bounds.get(0)[1]);
    assertThrows(IllegalStateException.class, () -> reader.read(new byte[] {2, 1, 0, 0, 7}, 0, 5), "a bad id flag");
  }

  @Test
  void everyDecisionOfTheHostileCorpusAndTheClickstreamRoundTrips() {
    EventRules rules = EventRules.of(ClickstreamViews.catalog(), EventLimits.defaults());
    List<byte[]> records = new ArrayList<>(HostileEvents.corpus(31, 2_000, 4_000));
    records.addAll(HostileEvents.namedCases());
    ClickstreamGenerator generator = new ClickstreamGenerator(ClickstreamGenerator.Settings.defaults(3_000, 9));
    while (generator.hasNext()) {
      records.add(generator.next().getBytes(StandardCharsets.UTF_8));
    }
    ProjectedEvents.Buffer buffer = new ProjectedEvents.Buffer();
    List<int[]> bounds = new ArrayList<>();
    List<ParseResult> decisions = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      byte[] r = records.get(i);
      ParseResult d = rules.read(r, 0, r.length);
      int start = buffer.size();
      if (d.isAccepted()) {
        ProjectedEvents.writeAccepted(buffer, 7, i % 3, i, d.event());
      } else {
        ProjectedEvents.writeRejected(buffer, 7, i % 3, i, d.rejection(), r, 0, r.length);
      }
      bounds.add(new int[] {start, buffer.size() - start});
      decisions.add(d);
    }
    ProjectedEvents.Reader reader = new ProjectedEvents.Reader(rules.projection());
    int accepted = 0;
    for (int i = 0; i < records.size(); i++) {
      reader.read(buffer.bytes(), bounds.get(i)[0], bounds.get(i)[1]);
      ParseResult d = decisions.get(i);
      String what = new String(records.get(i), StandardCharsets.UTF_8);
      assertEquals(7, reader.epoch());
      assertEquals(i % 3, reader.partition());
      assertEquals(i, reader.offset());
      assertEquals(d.isAccepted(), reader.isAccepted(), what);
      if (d.isAccepted()) {
        accepted++;
        assertEquals(d.event().timestampMillis(), reader.event().timestampMillis(), what);
        assertEquals(d.event().eventId(), reader.event().eventId(), what);
        assertTrue(reader.hasFields(), what);
        assertEquals(d.event().eventId() != null, reader.hasEventId(), what);
        for (String path : rules.projection().paths()) {
          if (!rules.projection().isWanted(rules.projection().slot(path))) {
            assertEquals(null, reader.event().field(path), "a raw field no definition reads is not carried");
            continue;
          }
          Object want = d.event().field(path);
          Object got = reader.event().field(path);
          assertEquals(want, got, path + " of " + what);
          assertEquals(want == null ? null : want.getClass(), got == null ? null : got.getClass(), path);
        }
      } else {
        assertEquals(d.rejection(), reader.rejection(), what);
        assertArrayEquals(records.get(i),
            Arrays.copyOfRange(reader.buffer(), reader.rawOffset(), reader.rawOffset() + reader.rawLength()));
      }
    }
    assertTrue(accepted > 3_000 && accepted < records.size(), "both kinds: " + accepted);
  }

  @Test
  void stringsWithLoneSurrogatesAndDecimalsOfAnyScaleComeBackExactly() {
    FieldProjection projection = FieldProjection.of(List.of("s", "d", "n", "b"));
    Object[][] cases = {
        {"\ud800 lone", new BigDecimal("1e-999999"), Long.MIN_VALUE, Boolean.TRUE},
        {"", new BigDecimal("12.50"), -1L, Boolean.FALSE},
        {"é漢🙂", new BigDecimal("-1e999999999"), Long.MAX_VALUE, null},
        {null, new BigDecimal(new java.math.BigInteger("9".repeat(300)), -5), 0L, null},
    };
    ProjectedEvents.Buffer buffer = new ProjectedEvents.Buffer();
    ProjectedEvents.Reader reader = new ProjectedEvents.Reader(projection);
    for (Object[] c : cases) {
      Object[] values = new Object[projection.size()];
      for (int i = 0; i < 4; i++) {
        values[projection.slot(new String[] {"s", "d", "n", "b"}[i])] = c[i];
      }
      buffer.clear();
      ProjectedEvents.writeAccepted(buffer, Long.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE,
          new Event(-62_135_596_800_000L, "id\udc00", projection, values));
      reader.read(buffer.bytes(), 0, buffer.size());
      assertEquals("id\udc00", reader.event().eventId());
      assertEquals(-62_135_596_800_000L, reader.event().timestampMillis());
      assertEquals(Long.MAX_VALUE, reader.epoch());
      assertEquals(Integer.MAX_VALUE, reader.partition());
      assertEquals(c[0], reader.event().field("s"));
      assertEquals(c[1], reader.event().field("d"));
      assertEquals(((BigDecimal) c[1]).scale(), ((BigDecimal) reader.event().field("d")).scale());
      assertEquals(c[2], reader.event().field("n"));
      assertEquals(c[3], reader.event().field("b"));
    }
  }

  @Test
  void aRecordReadWithAnotherProjectionOrCutShortIsRefused() {
    FieldProjection two = FieldProjection.of(List.of("a", "b"));
    ProjectedEvents.Buffer buffer = new ProjectedEvents.Buffer();
    ProjectedEvents.writeAccepted(buffer, 1, 0, 0, new Event(1, null, two, new Object[two.size()]));
    ProjectedEvents.Reader other = new ProjectedEvents.Reader(FieldProjection.of(List.of("a")));
    assertThrows(IllegalStateException.class, () -> other.read(buffer.bytes(), 0, buffer.size()));
    ProjectedEvents.Reader same = new ProjectedEvents.Reader(two);
    assertThrows(IllegalStateException.class, () -> same.read(buffer.bytes(), 0, buffer.size() - 1));
    same.read(buffer.bytes(), 0, buffer.size());
    assertFalse(same.event().eventId() != null);
  }
}
