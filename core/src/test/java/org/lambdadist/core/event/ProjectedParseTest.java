package org.lambdadist.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.generate.ClickstreamGenerator;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.testing.ClickstreamViews;
import org.lambdadist.core.testing.HostileEvents;

/**
 * The projected parse decides every record exactly as the full parse does, and keeps the same
 * values: the projection may change what is kept, never what is accepted.
 */
class ProjectedParseTest {
  private static void assertSameDecision(EventParser parser, FieldProjection projection, byte[] record) {
    ParseResult full = parser.parse(record, 0, record.length);
    ParseResult projected = parser.parse(record, 0, record.length, projection);
    String what = new String(record, StandardCharsets.UTF_8);
    assertEquals(full.isAccepted(), projected.isAccepted(), what);
    if (!full.isAccepted()) {
      assertEquals(full.rejection(), projected.rejection(), what);
      return;
    }
    assertEquals(full.event().timestampMillis(), projected.event().timestampMillis(), what);
    assertEquals(full.event().eventId(), projected.event().eventId(), what);
    for (String path : projection.paths()) {
      assertEquals(full.event().field(path), projected.event().field(path), path + " of " + what);
    }
  }

  @Test
  void theHostileCorpusAndGeneratedClickstreamAreDecidedAlikeWithTheRulesProjection() {
    EventRules rules = EventRules.of(ClickstreamViews.catalog(), EventLimits.defaults());
    List<byte[]> records = new ArrayList<>(HostileEvents.corpus(21, 2_000, 4_000));
    records.addAll(HostileEvents.namedCases());
    ClickstreamGenerator generator = new ClickstreamGenerator(ClickstreamGenerator.Settings.defaults(3_000, 5));
    while (generator.hasNext()) {
      records.add(generator.next().getBytes(StandardCharsets.UTF_8));
    }
    for (byte[] r : records) {
      assertSameDecision(rules.parser(), rules.projection(), r);
    }
  }

  @Test
  void nestedPathsDuplicateKeysNullsAndSkippedNumbersBehaveAsInTheFullParse() {
    EventParser parser = new EventParser();
    FieldProjection projection = FieldProjection.of(List.of("device.os", "a.b", "x", "n"));
    String[] cases = {
        "{\"timestamp\":1,\"device\":{\"os\":\"ios\",\"ver\":{\"major\":1e5}},\"other\":2}",
        "{\"timestamp\":1,\"a.b\":1,\"a\":{\"b\":2}}",
        "{\"timestamp\":1,\"a\":{\"b\":2},\"a.b\":3}",
        "{\"timestamp\":1,\"x\":\"v\",\"x\":null}",
        "{\"timestamp\":1,\"x\":\"v\",\"x\":{\"y\":1}}",
        "{\"timestamp\":1,\"skipped\":1e9999999999}",
        "{\"timestamp\":1,\"skipped\":{\"deep\":[1,2,1e99999999999]}}",
        "{\"timestamp\":1,\"skipped\":" + "9".repeat(500) + "}",
        "{\"timestamp\":1,\"skipped\":\"bad \\q escape\"}",
        "{\"timestamp\":{\"t\":1},\"timestamp\":2}",
        "{\"timestamp\":2,\"event_id\":[1]}",
        "{\"timestamp\":2,\"n\":12.50,\"event_id\":7}",
    };
    for (String c : cases) {
      assertSameDecision(parser, projection, c.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void aProjectedEventRefusesAFieldItDidNotKeep() {
    FieldProjection projection = FieldProjection.of(List.of("x"));
    byte[] record = "{\"timestamp\":1,\"x\":1,\"y\":2}".getBytes(StandardCharsets.UTF_8);
    Event e = new EventParser().parse(record, 0, record.length, projection).event();
    assertEquals(1L, e.field("x"));
    assertThrows(IllegalArgumentException.class, () -> e.field("y"));
  }

  @Test
  void generatedRecordsAgreeUnderRandomProjections() {
    Random random = new Random(99);
    EventParser parser = new EventParser();
    List<byte[]> corpus = HostileEvents.corpus(7, 500, 1_500);
    List<String> candidates = List.of("type", "campaign", "channel", "user_id", "revenue", "a", "a.b", "device.os", "x.y.z");
    for (int round = 0; round < 20; round++) {
      List<String> pick = new ArrayList<>();
      for (String c : candidates) {
        if (random.nextBoolean()) {
          pick.add(c);
        }
      }
      FieldProjection projection = FieldProjection.of(pick);
      for (byte[] r : corpus) {
        assertSameDecision(parser, projection, r);
      }
    }
  }
}
