package org.lambdadist.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A name's slot by identity is its slot by value, however the names share the identity cache. */
class FieldProjectionTest {
  @Test
  void slotOfNameAnswersAsSlotForEveryNameAndEveryOrder() {
    List<String> wanted = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      wanted.add("field" + i);
    }
    FieldProjection projection = FieldProjection.of(wanted);
    // Far more names than the cache has places, kept and not kept, so entries collide and are
    // replaced; each name is asked for many times, as the parser does record after record.
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      names.add(("field" + i).intern());
    }
    java.util.Random random = new java.util.Random(11);
    for (int round = 0; round < 50_000; round++) {
      String name = names.get(random.nextInt(random.nextBoolean() ? 20 : names.size()));
      assertEquals(projection.slot(name), projection.slotOfName(name), name);
    }
  }
}
