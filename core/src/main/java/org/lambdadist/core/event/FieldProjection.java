package org.lambdadist.core.event;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fields a set of definitions reads (dotted paths), so the parser keeps only those: an
 * accepted event then holds its values in slots, with no per-event map. Parsing still reads and
 * checks every token of the record, so what is accepted does not depend on the projection; only
 * what is kept does. {@code timestamp} and {@code event_id} are always kept. Immutable, apart
 * from a lookup cache that is safe to share between threads.
 */
public final class FieldProjection {
  private final String[] paths;
  private final Map<String, Integer> slots;
  private final Set<String> prefixes;
  /**
   * Field names Jackson canonicalizes (the same String instance for the same name in every
   * record of a factory), so a name is found by identity before hashing: the name lookup was
   * 6% of a batch map task. Each entry is immutable, so a racy read sees a whole entry or none.
   * A name has two places (its identity hash's and the next): with one, two names of every
   * record that happened to share it (a matter of luck in each JVM) replaced each other on
   * every record, a new entry each time (about 100 MB per million records).
   */
  private final NameSlot[] byIdentity = new NameSlot[IDENTITY_CACHE_SIZE];
  private static final int IDENTITY_CACHE_SIZE = 1024;

  private record NameSlot(String name, int slot) {}

  /** Whether the definitions themselves use {@code timestamp} / {@code event_id} as fields. */
  private final boolean wantsTimestamp;
  private final boolean wantsEventId;

  private FieldProjection(Collection<String> wanted) {
    wantsTimestamp = wanted.contains(EventParser.TIMESTAMP_FIELD);
    wantsEventId = wanted.contains(EventParser.EVENT_ID_FIELD);
    TreeSet<String> all = new TreeSet<>(wanted);
    all.remove(EventParser.TIMESTAMP_FIELD);
    all.remove(EventParser.EVENT_ID_FIELD);
    paths = new String[all.size() + 2];
    paths[0] = EventParser.TIMESTAMP_FIELD;
    paths[1] = EventParser.EVENT_ID_FIELD;
    int i = 2;
    for (String p : all) {
      paths[i++] = p;
    }
    slots = new HashMap<>(paths.length * 2);
    prefixes = new HashSet<>();
    for (int s = 0; s < paths.length; s++) {
      slots.put(paths[s], s);
      for (int dot = paths[s].indexOf('.'); dot > 0; dot = paths[s].indexOf('.', dot + 1)) {
        prefixes.add(paths[s].substring(0, dot));
      }
    }
  }

  /** The projection keeping these paths (plus {@code timestamp} and {@code event_id}). */
  public static FieldProjection of(Collection<String> paths) {
    return new FieldProjection(paths);
  }

  /** The slot of a kept path, or -1. */
  public int slot(String path) {
    Integer s = slots.get(path);
    return s == null ? -1 : s;
  }

  /**
   * The slot of a top-level field name as the parser returns it: like {@link #slot} but
   * remembered by identity, since the parser hands out one instance per distinct name.
   */
  public int slotOfName(String name) {
    int i = System.identityHashCode(name) & (IDENTITY_CACHE_SIZE - 1);
    int j = (i + 1) & (IDENTITY_CACHE_SIZE - 1);
    NameSlot first = byIdentity[i];
    if (first != null && first.name == name) {
      return first.slot;
    }
    NameSlot second = byIdentity[j];
    if (second != null && second.name == name) {
      return second.slot;
    }
    int s = slot(name);
    byIdentity[first == null || second != null ? i : j] = new NameSlot(name, s);
    return s;
  }

  /** True when some kept path lies inside the object at {@code path}. */
  public boolean isPrefix(String path) {
    return prefixes.contains(path);
  }

  /**
   * True when the definitions read the field of this slot. Slots 0 and 1 ({@code timestamp},
   * {@code event_id}) are always kept for the parser's own checks, but read as fields only when
   * asked for; {@link ProjectedEvents} does not carry them otherwise.
   */
  public boolean isWanted(int slot) {
    return slot > 1 || (slot == 0 ? wantsTimestamp : wantsEventId);
  }

  public int size() {
    return paths.length;
  }

  public String path(int slot) {
    return paths[slot];
  }

  /** The kept paths, slot order. */
  public List<String> paths() {
    return List.of(paths);
  }
}
