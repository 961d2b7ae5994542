package org.lambdadist.core.event;

import java.util.List;
import java.util.Set;

/**
 * Which events a view takes. Leaves compare a field's canonical text
 * ({@link FieldValues#canonical}), so {@code {"field":"status","equals":200}} matches both
 * {@code 200} and {@code "200"}; {@code exists} is true when the field is present and not null.
 * Filters combine with {@code all}, {@code any} and {@code not}.
 */
public sealed interface EventFilter {
  boolean matches(Event event);

  /** Takes every event. */
  EventFilter ALL = new All(List.of());

  record Equals(String field, String value) implements EventFilter {
    @Override
    public boolean matches(Event event) {
      return value.equals(FieldValues.canonical(event.field(field)));
    }
  }

  record In(String field, Set<String> values) implements EventFilter {
    @Override
    public boolean matches(Event event) {
      String v = FieldValues.canonical(event.field(field));
      return v != null && values.contains(v);
    }
  }

  record Exists(String field, boolean expected) implements EventFilter {
    @Override
    public boolean matches(Event event) {
      return (event.field(field) != null) == expected;
    }
  }

  record All(List<EventFilter> filters) implements EventFilter {
    @Override
    public boolean matches(Event event) {
      for (EventFilter f : filters) {
        if (!f.matches(event)) {
          return false;
        }
      }
      return true;
    }
  }

  record Any(List<EventFilter> filters) implements EventFilter {
    @Override
    public boolean matches(Event event) {
      for (EventFilter f : filters) {
        if (f.matches(event)) {
          return true;
        }
      }
      return false;
    }
  }

  record Not(EventFilter filter) implements EventFilter {
    @Override
    public boolean matches(Event event) {
      return !filter.matches(event);
    }
  }
}
