package org.lambdadist.core.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinition;
import org.lambdadist.core.view.ViewKey;

class ViewRowWriterTest {
  private static final String VIEWS = """
      {"views":[{"name":"V","dimensions":["dim","other"],"granularities":["minute"],
        "metrics":[{"name":"count","type":"count"},{"name":"packets","type":"sum","field":"packets"},
                   {"name":"lo","type":"min","field":"x"},{"name":"mean","type":"avg","field":"packets"},
                   {"name":"users","type":"distinct","field":"u"}]}]}
      """;

  private static String render(ViewRowWriter.Format format) throws Exception {
    ViewDefinition v = ViewCatalog.parse(VIEWS, "t").view("V");
    RowAggregate row = RowAggregate.zero(v.metrics());
    for (long p : new long[] {100, 86, 100}) {
      row.state(0).add(Boolean.TRUE);
      row.state(1).add(p);
      row.state(3).add(p);
      row.state(4).add("u" + p);
    }
    ViewKey key = new ViewKey("V", Arrays.asList("value", null), Granularity.MINUTE,
        Instant.parse("2018-01-01T01:01:00Z").toEpochMilli());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ViewRowWriter w = ViewRowWriter.open(format, v, out)) {
      w.write(new ViewRow(key, row));
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void jsonLinesHaveTheExactShapeOfTheContract() throws Exception {
    assertEquals("{\"view\":\"V\",\"granularity\":\"minute\",\"bucket\":\"2018-01-01T01:01:00Z\","
        + "\"key\":{\"dim\":\"value\",\"other\":null},"
        + "\"metrics\":{\"count\":3,\"packets\":286,\"lo\":null,\"mean\":95.33333333333333,\"users\":2}}\n",
        render(ViewRowWriter.Format.JSONL));
  }

  @Test
  void rowObjectsOfAnswersCarryTheRealtimePartWhenAsked() throws Exception {
    ViewDefinition v = ViewCatalog.parse(VIEWS, "t").view("V");
    RowAggregate batch = RowAggregate.zero(v.metrics());
    batch.state(0).add(Boolean.TRUE);
    RowAggregate realtime = RowAggregate.zero(v.metrics());
    long bucket = Instant.parse("2018-01-01T01:02:00Z").toEpochMilli();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (com.fasterxml.jackson.core.JsonGenerator json = new com.fasterxml.jackson.core.JsonFactory().createGenerator(out)) {
      ViewRowWriter.RowObjects rows = new ViewRowWriter.RowObjects(v);
      json.writeStartArray();
      rows.write(json, Arrays.asList("a\"b", "é"), Granularity.MINUTE, bucket, batch, null, true);
      rows.write(json, Arrays.asList(null, null), Granularity.MINUTE, bucket, batch, realtime, true);
      rows.write(json, Arrays.asList("x", "y"), Granularity.MINUTE, bucket, batch, realtime, false);
      json.writeEndArray();
    }
    String metrics = "{\"count\":1,\"packets\":0,\"lo\":null,\"mean\":null,\"users\":0}";
    String none = "{\"count\":0,\"packets\":0,\"lo\":null,\"mean\":null,\"users\":0}";
    String head = "{\"view\":\"V\",\"granularity\":\"minute\",\"bucket\":\"2018-01-01T01:02:00Z\",\"key\":";
    assertEquals("[" + head + "{\"dim\":\"a\\\"b\",\"other\":\"é\"},\"metrics\":" + metrics + ",\"realtime\":null},"
        + head + "{\"dim\":null,\"other\":null},\"metrics\":" + metrics + ",\"realtime\":" + none + "},"
        + head + "{\"dim\":\"x\",\"other\":\"y\"},\"metrics\":" + metrics + "}]", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void csvHasAHeaderAndEmptyCellsForNulls() throws Exception {
    assertEquals("view,granularity,bucket,dim,other,count,packets,lo,mean,users\n"
        + "V,minute,2018-01-01T01:01:00Z,value,,3,286,,95.33333333333333,2\n", render(ViewRowWriter.Format.CSV));
  }

  @Test
  void decimalSumsRenderAsNumbers() throws Exception {
    ViewDefinition v = ViewCatalog.parse(VIEWS, "t").view("V");
    RowAggregate row = RowAggregate.zero(v.metrics());
    row.state(1).add(new BigDecimal("0.1"));
    row.state(1).add(new BigDecimal("0.2"));
    assertEquals(0.3, row.state(1).result());
  }
}
