package org.lambdadist.core.render;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import org.lambdadist.core.aggregate.RowAggregate;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.databind.SequenceWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.MetricDefinition;
import org.lambdadist.core.view.ViewDefinition;
import org.lambdadist.core.view.ViewKey;

/**
 * Writes view rows in an export format.
 *
 * <p>JSON lines, one object per row, keys in this order:
 * <pre>{"view":"V","granularity":"minute","bucket":"2018-01-01T01:01:00Z","key":{"dim":"value"},"metrics":{"count":3,"packets":286}}</pre>
 * A missing dimension is JSON null. Metrics: {@code count} an integer; {@code sum} an integer
 * while every value was integral, else a number (0 over no values); {@code min}/{@code max}
 * the extreme value (null over no values); {@code avg} a number (null over no values);
 * {@code distinct} the estimate rounded to an integer.
 *
 * <p>CSV: a header row {@code view,granularity,bucket,<dimensions…>,<metrics…>}, then one row
 * per view row; a null is an empty cell; quoting per RFC 4180.
 */
public abstract class ViewRowWriter implements Closeable {

  /** Export formats by their command-line names. */
  public enum Format {
    JSONL, CSV;

    public static Format fromName(String name) {
      for (Format f : values()) {
        if (f.name().toLowerCase(Locale.ROOT).equals(name)) {
          return f;
        }
      }
      return null;
    }
  }

  protected final ViewDefinition view;

  protected ViewRowWriter(ViewDefinition view) {
    this.view = view;
  }

  public static ViewRowWriter open(Format format, ViewDefinition view, OutputStream out) throws IOException {
    return format == Format.CSV ? new Csv(view, out) : new JsonLines(view, out);
  }

  public abstract void write(ViewRow row) throws IOException;

  private static final class JsonLines extends ViewRowWriter {
    private final JsonGenerator json;
    private final RowObjects rows;

    JsonLines(ViewDefinition view, OutputStream out) throws IOException {
      super(view);
      this.rows = new RowObjects(view);
      JsonFactory factory = new JsonFactory();
      factory.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      this.json = factory.createGenerator(out, JsonEncoding.UTF8);
      json.setRootValueSeparator(null);
    }

    @Override
    public void write(ViewRow row) throws IOException {
      ViewKey key = row.key();
      rows.write(json, key.dimensions(), key.granularity(), key.bucketStart(), row.aggregate(), null, false);
      json.writeRaw('\n');
    }

    @Override
    public void close() throws IOException {
      json.close();
    }
  }

  /**
   * Writes one row as the JSON object of the export format (the serving layer's answers use
   * the same objects).
   */
  public static void writeRowObject(JsonGenerator json, ViewDefinition view, ViewRow row) throws IOException {
    writeRowObject(json, view, row, null, false);
  }

  /**
   * Writes one row as {@link #writeRowObject(JsonGenerator, ViewDefinition, ViewRow)} does and,
   * when {@code withRealtimePart}, a field {@code realtime}: the metrics of the realtime cells
   * alone in that row ({@code realtimePart}; null when the batch alone fills the row), which
   * tells a chart which part of a row the speed layer added.
   */
  public static void writeRowObject(JsonGenerator json, ViewDefinition view, ViewRow row, RowAggregate realtimePart,
                                    boolean withRealtimePart) throws IOException {
    ViewKey key = row.key();
    new RowObjects(view).write(json, key.dimensions(), key.granularity(), key.bucketStart(), row.aggregate(),
        realtimePart, withRealtimePart);
  }

  /**
   * The row objects of one view, their field names encoded to UTF-8 once: an answer or an export
   * writes hundreds of rows with the same names, and encoding them row by row was a tenth of the
   * serving layer's CPU for a multi-key lookup. Immutable; one per answer or export.
   */
  public static final class RowObjects {
    private static final SerializedString VIEW = new SerializedString("view");
    private static final SerializedString GRANULARITY = new SerializedString("granularity");
    private static final SerializedString BUCKET = new SerializedString("bucket");
    private static final SerializedString KEY = new SerializedString("key");
    private static final SerializedString METRICS = new SerializedString("metrics");
    private static final SerializedString REALTIME = new SerializedString("realtime");
    private static final SerializedString[] LABELS = labels();

    private final SerializedString viewName;
    private final SerializedString[] dimensions;
    private final SerializedString[] metrics;

    public RowObjects(ViewDefinition view) {
      this.viewName = new SerializedString(view.name());
      this.dimensions = view.dimensions().stream().map(SerializedString::new).toArray(SerializedString[]::new);
      this.metrics = view.metrics().stream().map(m -> new SerializedString(m.name())).toArray(SerializedString[]::new);
    }

    private static SerializedString[] labels() {
      Granularity[] all = Granularity.values();
      SerializedString[] labels = new SerializedString[all.length];
      for (Granularity g : all) {
        labels[g.ordinal()] = new SerializedString(g.label());
      }
      return labels;
    }

    /** The row of this view with these dimension values (null: missing) in the bucket starting at {@code bucketStart}. */
    public void write(JsonGenerator json, List<String> dimensionValues, Granularity granularity, long bucketStart,
                      RowAggregate aggregate, RowAggregate realtimePart, boolean withRealtimePart) throws IOException {
      json.writeStartObject();
      json.writeFieldName(VIEW);
      json.writeString(viewName);
      json.writeFieldName(GRANULARITY);
      json.writeString(LABELS[granularity.ordinal()]);
      json.writeFieldName(BUCKET);
      json.writeString(Granularity.formatInstant(bucketStart));
      json.writeFieldName(KEY);
      json.writeStartObject();
      for (int i = 0; i < dimensions.length; i++) {
        json.writeFieldName(dimensions[i]);
        String v = dimensionValues.get(i);
        if (v == null) {
          json.writeNull();
        } else {
          json.writeString(v);
        }
      }
      json.writeEndObject();
      json.writeFieldName(METRICS);
      writeMetrics(json, aggregate);
      if (withRealtimePart) {
        json.writeFieldName(REALTIME);
        if (realtimePart == null) {
          json.writeNull();
        } else {
          writeMetrics(json, realtimePart);
        }
      }
      json.writeEndObject();
    }

    private void writeMetrics(JsonGenerator json, RowAggregate aggregate) throws IOException {
      json.writeStartObject();
      for (int i = 0; i < metrics.length; i++) {
        json.writeFieldName(metrics[i]);
        writeNumber(json, aggregate.state(i).result());
      }
      json.writeEndObject();
    }
  }

  /** Writes a rendered metric value: a Long as an integer, a Double as a number, null as null. */
  public static void writeNumber(JsonGenerator json, Number n) throws IOException {
    if (n == null) {
      json.writeNull();
    } else if (n instanceof Long l) {
      json.writeNumber(l);
    } else {
      json.writeNumber(n.doubleValue());
    }
  }

  private static final class Csv extends ViewRowWriter {
    private final SequenceWriter csv;

    Csv(ViewDefinition view, OutputStream out) throws IOException {
      super(view);
      CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true).setNullValue("");
      schema.addColumn("view").addColumn("granularity").addColumn("bucket");
      for (String d : view.dimensions()) {
        schema.addColumn(d);
      }
      for (MetricDefinition m : view.metrics()) {
        schema.addColumn(m.name());
      }
      CsvMapper mapper = new CsvMapper();
      mapper.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      this.csv = mapper.writer(schema.build()).writeValues(out);
    }

    @Override
    public void write(ViewRow row) throws IOException {
      ViewKey key = row.key();
      List<String> cells = new ArrayList<>();
      cells.add(key.view());
      cells.add(key.granularity().label());
      cells.add(Granularity.formatInstant(key.bucketStart()));
      for (String d : key.dimensions()) {
        cells.add(d == null ? "" : d);
      }
      for (int i = 0; i < view.metrics().size(); i++) {
        Number n = row.aggregate().state(i).result();
        cells.add(n == null ? "" : n.toString());
      }
      csv.write(cells.toArray(new String[0]));
    }

    @Override
    public void close() throws IOException {
      csv.close();
    }
  }
}
