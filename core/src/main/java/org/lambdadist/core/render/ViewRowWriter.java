package org.lambdadist.core.render;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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

    JsonLines(ViewDefinition view, OutputStream out) throws IOException {
      super(view);
      JsonFactory factory = new JsonFactory();
      factory.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      this.json = factory.createGenerator(out, JsonEncoding.UTF8);
      json.setRootValueSeparator(null);
    }

    @Override
    public void write(ViewRow row) throws IOException {
      writeRowObject(json, view, row);
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
    json.writeStartObject();
    json.writeStringField("view", key.view());
    json.writeStringField("granularity", key.granularity().label());
    json.writeStringField("bucket", Granularity.formatInstant(key.bucketStart()));
    json.writeObjectFieldStart("key");
    for (int i = 0; i < view.dimensions().size(); i++) {
      String v = key.dimensions().get(i);
      if (v == null) {
        json.writeNullField(view.dimensions().get(i));
      } else {
        json.writeStringField(view.dimensions().get(i), v);
      }
    }
    json.writeEndObject();
    json.writeFieldName("metrics");
    writeMetrics(json, view, row.aggregate());
    if (withRealtimePart) {
      json.writeFieldName("realtime");
      if (realtimePart == null) {
        json.writeNull();
      } else {
        writeMetrics(json, view, realtimePart);
      }
    }
    json.writeEndObject();
  }

  private static void writeMetrics(JsonGenerator json, ViewDefinition view, RowAggregate aggregate) throws IOException {
    json.writeStartObject();
    List<MetricDefinition> metrics = view.metrics();
    for (int i = 0; i < metrics.size(); i++) {
      json.writeFieldName(metrics.get(i).name());
      writeNumber(json, aggregate.state(i).result());
    }
    json.writeEndObject();
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
