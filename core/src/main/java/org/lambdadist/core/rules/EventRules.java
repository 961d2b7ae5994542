package org.lambdadist.core.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.lambdadist.core.aggregate.AggregationTable;
import org.lambdadist.core.attribution.AttributionConfig;
import org.lambdadist.core.codec.RowKeyCodec;
import org.lambdadist.core.event.Event;
import org.lambdadist.core.event.EventLimits;
import org.lambdadist.core.event.EventParser;
import org.lambdadist.core.event.FieldProjection;
import org.lambdadist.core.event.FieldValues;
import org.lambdadist.core.event.ParseResult;
import org.lambdadist.core.event.RejectReason;
import org.lambdadist.core.event.Rejection;
import org.lambdadist.core.event.Utf8;
import org.lambdadist.core.event.EventFilter;
import org.lambdadist.core.view.MetricDefinition;
import org.lambdadist.core.view.MetricType;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinition;

/**
 * The one admission rule of every layer: a record is an event iff {@link EventParser} accepts
 * it (record-level bounds) and every value a definition uses as a key passes
 * {@link #check}. The batch layer's jobs, the speed layer and the test oracles all read records
 * through {@link #read}, so a record is accepted by the batch iff by the speed layer.
 *
 * <p>Values used as keys: the dimensions, the operands of {@code equals}/{@code in} filters and
 * the {@code distinct} fields of every view, and attribution's user, channel and campaign fields
 * and filter operands. Each, as its canonical text, must be valid Unicode
 * ({@link RejectReason#BAD_ENCODING} otherwise) and hold at most
 * {@link EventLimits#maxValueBytes()} UTF-8 bytes ({@link RejectReason#VALUE_TOO_LONG}). A view
 * whose dimensions could together pass HBase's row-key limit has the sum checked as well, so
 * every row key the codecs produce fits by construction. Numbers are judged per metric
 * ({@link AggregationTable#isMetricValue}), not here: a bad metric value never rejects an event.
 * Immutable and thread-safe.
 */
public final class EventRules {
  private final ViewCatalog catalog;
  private final EventLimits limits;
  private final EventParser parser;
  private final String[] valueFields;
  private final List<ViewDefinition> keySummedViews;
  private final FieldProjection projection;

  private EventRules(ViewCatalog catalog, EventLimits limits) {
    this.catalog = catalog;
    this.limits = limits;
    this.parser = new EventParser(limits);
    Set<String> fields = new TreeSet<>();
    List<ViewDefinition> summed = new ArrayList<>();
    for (ViewDefinition v : catalog.views()) {
      fields.addAll(v.dimensions());
      addFilterFields(v.filter(), fields);
      for (MetricDefinition m : v.metrics()) {
        if (m.type() == MetricType.DISTINCT && m.field() != null) {
          fields.add(m.field());
        }
      }
      if (RowKeyCodec.maxEncodedLength(v.name(), v.dimensions().size(), limits.maxValueBytes())
          > RowKeyCodec.MAX_ROW_KEY_BYTES) {
        summed.add(v);
      }
    }
    AttributionConfig a = catalog.attribution();
    if (a != null) {
      fields.add(a.userField());
      fields.add(a.channelField());
      if (a.campaignField() != null) {
        fields.add(a.campaignField());
      }
      addFilterFields(a.touchFilter(), fields);
      addFilterFields(a.conversionFilter(), fields);
    }
    this.valueFields = fields.toArray(new String[0]);
    this.keySummedViews = List.copyOf(summed);
    this.projection = FieldProjection.of(usedFields(catalog));
  }

  /** Every field a definition reads: keys, filter fields (presence tests too) and metric fields. */
  private static Set<String> usedFields(ViewCatalog catalog) {
    Set<String> used = new TreeSet<>();
    for (ViewDefinition v : catalog.views()) {
      used.addAll(v.dimensions());
      addFilterFields(v.filter(), used, true);
      for (MetricDefinition m : v.metrics()) {
        if (m.field() != null) {
          used.add(m.field());
        }
      }
    }
    AttributionConfig a = catalog.attribution();
    if (a != null) {
      used.add(a.userField());
      used.add(a.channelField());
      if (a.campaignField() != null) {
        used.add(a.campaignField());
      }
      if (a.revenueField() != null) {
        used.add(a.revenueField());
      }
      addFilterFields(a.touchFilter(), used, true);
      addFilterFields(a.conversionFilter(), used, true);
    }
    return used;
  }

  /** The rules of these definitions under these limits. */
  public static EventRules of(ViewCatalog catalog, EventLimits limits) {
    return new EventRules(catalog, limits);
  }

  private static void addFilterFields(EventFilter filter, Set<String> fields) {
    addFilterFields(filter, fields, false);
  }

  /** The fields a filter reads; an exists test's only with {@code presence} (it never uses the value as a key). */
  private static void addFilterFields(EventFilter filter, Set<String> fields, boolean presence) {
    if (filter instanceof EventFilter.Equals e) {
      fields.add(e.field());
    } else if (filter instanceof EventFilter.In in) {
      fields.add(in.field());
    } else if (filter instanceof EventFilter.Exists ex) {
      if (presence) {
        fields.add(ex.field());
      }
    } else if (filter instanceof EventFilter.All all) {
      all.filters().forEach(f -> addFilterFields(f, fields, presence));
    } else if (filter instanceof EventFilter.Any any) {
      any.filters().forEach(f -> addFilterFields(f, fields, presence));
    } else if (filter instanceof EventFilter.Not not) {
      addFilterFields(not.filter(), fields, presence);
    }
  }

  public ParseResult read(byte[] record) {
    return read(record, 0, record.length);
  }

  /**
   * Parses a record and checks its key values: the whole admission rule. Never throws. The
   * event keeps only the fields the definitions read ({@link #projection()}).
   */
  public ParseResult read(byte[] buffer, int offset, int length) {
    ParseResult r = parser.parse(buffer, offset, length, projection);
    if (!r.isAccepted()) {
      return r;
    }
    Rejection bad = check(r.event());
    return bad == null ? r : ParseResult.rejected(bad.reason(), bad.message());
  }

  /** Why a parsed event's key values are unusable, or null when they are all fine. */
  public Rejection check(Event event) {
    for (String field : valueFields) {
      Object value = event.field(field);
      if (value == null) {
        continue;
      }
      String text = FieldValues.canonical(value);
      if (value instanceof String && Utf8.hasLoneSurrogate(text)) {
        return new Rejection(RejectReason.BAD_ENCODING, "field \"" + field + "\" holds an unpaired surrogate");
      }
      int bytes = Utf8.encodedLength(text);
      if (bytes > limits.maxValueBytes()) {
        return new Rejection(RejectReason.VALUE_TOO_LONG, "field \"" + field + "\" is " + bytes
            + " bytes, over the limit of " + limits.maxValueBytes() + " (lambda.event.max-value-bytes)");
      }
    }
    for (ViewDefinition v : keySummedViews) {
      if (v.filter().matches(event)) {
        int length = RowKeyCodec.encodedLength(v.name(), v.dimensionValues(event));
        if (length > RowKeyCodec.MAX_ROW_KEY_BYTES) {
          return new Rejection(RejectReason.VALUE_TOO_LONG, "the dimensions of view '" + v.name() + "' ("
              + String.join(", ", v.dimensions()) + ") make a row key of " + length + " bytes, over HBase's limit of "
              + RowKeyCodec.MAX_ROW_KEY_BYTES);
        }
      }
    }
    return null;
  }

  /**
   * True when some view aggregates the event (its filter matches): otherwise adding it to a
   * table changes no row, and its fields need not be kept for the partial rows.
   */
  public boolean isAggregated(Event event) {
    for (ViewDefinition v : catalog.views()) {
      if (v.filter().matches(event)) {
        return true;
      }
    }
    return false;
  }

  /** An empty aggregation table of every view under these limits. */
  public AggregationTable newTable() {
    return new AggregationTable(catalog.views(), limits);
  }

  /** True when {@code value} may be added to a metric of this type (see {@link AggregationTable#isMetricValue}). */
  public boolean isMetricValue(MetricType type, Object value) {
    return AggregationTable.isMetricValue(type, value, limits);
  }

  /** The fields whose values are checked as keys, sorted. */
  public List<String> valueFields() {
    return List.of(valueFields);
  }

  public ViewCatalog catalog() {
    return catalog;
  }

  public EventLimits limits() {
    return limits;
  }

  public EventParser parser() {
    return parser;
  }

  /** The fields events read through {@link #read} keep. */
  public FieldProjection projection() {
    return projection;
  }
}
