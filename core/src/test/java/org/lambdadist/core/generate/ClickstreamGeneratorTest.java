package org.lambdadist.core.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.event.EventParser;
import org.lambdadist.core.event.ParseResult;
import org.lambdadist.core.event.RejectReason;

class ClickstreamGeneratorTest {
  private static List<String> lines(long n, long seed) {
    List<String> out = new ArrayList<>();
    new ClickstreamGenerator(ClickstreamGenerator.Settings.defaults(n, seed)).forEachRemaining(out::add);
    return out;
  }

  @Test
  void sameSeedSameLinesExactCount() {
    assertEquals(lines(5_000, 1), lines(5_000, 1));
    assertNotEquals(lines(5_000, 1), lines(5_000, 2));
    assertEquals(5_000, lines(5_000, 3).size());
    assertEquals(0, lines(0, 3).size());
  }

  @Test
  void mixHasDuplicatesLateEventsRejectsAndDirectTraffic() {
    EventParser parser = new EventParser();
    Set<String> ids = new HashSet<>();
    Map<RejectReason, Integer> rejects = new EnumMap<>(RejectReason.class);
    int duplicates = 0;
    int late = 0;
    int conversions = 0;
    int direct = 0;
    long maxSeen = Long.MIN_VALUE;
    for (String line : lines(50_000, 9)) {
      ParseResult r = parser.parse(line.getBytes(StandardCharsets.UTF_8));
      if (!r.isAccepted()) {
        rejects.merge(r.rejection().reason(), 1, Integer::sum);
        continue;
      }
      if (!ids.add(r.event().eventId())) {
        duplicates++;
      }
      long t = r.event().timestampMillis();
      if (t < maxSeen - 900_000L) {
        late++;
      }
      maxSeen = Math.max(maxSeen, t);
      conversions += "conversion".equals(r.event().field("type")) ? 1 : 0;
      direct += "direct".equals(r.event().field("channel")) ? 1 : 0;
    }
    assertTrue(duplicates > 500, "duplicates " + duplicates);
    assertTrue(late > 50, "late " + late);
    assertTrue(conversions > 100, "conversions " + conversions);
    assertTrue(direct > 2_000, "direct " + direct);
    assertTrue(rejects.keySet().containsAll(List.of(RejectReason.NOT_JSON_OBJECT, RejectReason.MISSING_TIMESTAMP,
        RejectReason.BAD_TIMESTAMP, RejectReason.BAD_EVENT_ID)), rejects.toString());
  }
}
