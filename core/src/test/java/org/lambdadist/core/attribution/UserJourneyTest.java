package org.lambdadist.core.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserJourneyTest {
  private static final long DAY = 86_400_000L;

  @Test
  void pathsAreCutAtConversionsAndByTheLookback() {
    List<Touch> touches = new ArrayList<>(List.of(
        new Touch(0, "t0", "display", null),            // 40 days before c1: outside the lookback
        new Touch(20 * DAY, "t1", "search", "s"),
        new Touch(40 * DAY, "a2", "email", "w1"),       // at c1's time, id before c1's: in its path
        new Touch(40 * DAY, "z9", "social", null),      // same time, id after c1's: next path
        new Touch(45 * DAY, "t4", "email", "w2")));
    List<UserJourney.ConversionEvent> conversions = List.of(
        new UserJourney.ConversionEvent(40 * DAY, "c1", 10), new UserJourney.ConversionEvent(50 * DAY, "c2", 20));
    Collections.shuffle(touches, new java.util.Random(3));
    UserJourney.Paths p = UserJourney.paths(touches, conversions, AttributionSettings.DEFAULTS);
    assertEquals(2, p.converting().size());
    assertEquals(List.of("t1", "a2"), p.converting().get(0).touches().stream().map(Touch::eventId).toList());
    assertEquals(List.of("z9", "t4"), p.converting().get(1).touches().stream().map(Touch::eventId).toList());
    assertEquals(List.of(), p.nonConverting());

    UserJourney.Paths tail = UserJourney.paths(List.of(new Touch(60 * DAY, "t9", "email", null)), conversions,
        AttributionSettings.DEFAULTS);
    assertEquals(List.of(), tail.converting().get(0).touches());
    assertEquals(1, tail.nonConverting().size());
  }
}
