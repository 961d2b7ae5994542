package org.lambdadist.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.aggregate.AggregationTable;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.codec.RowKeyCodec;
import org.lambdadist.core.event.Event;
import org.lambdadist.core.event.EventLimits;
import org.lambdadist.core.event.ParseResult;
import org.lambdadist.core.event.RejectReason;
import org.lambdadist.core.testing.ClickstreamViews;
import org.lambdadist.core.testing.HostileEvents;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewKey;

/** Issue 10's corpus through core: every record decided with a reason, every accepted state round-trips. */
class HostileInputTest {
  private final ViewCatalog catalog = ClickstreamViews.catalog();
  private final EventRules rules = EventRules.of(catalog, EventLimits.defaults());

  private ParseResult read(String json) {
    return rules.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void everyRecordOfTheCorpusIsAcceptedOrRejectedWithAReasonAndAcceptedStatesRoundTrip() {
    List<byte[]> corpus = HostileEvents.corpus(10, 3_000, 3_000);
    Map<RejectReason, Integer> byReason = new EnumMap<>(RejectReason.class);
    AggregationTable table = rules.newTable();
    int accepted = 0;
    long bad = 0;
    for (byte[] line : corpus) {
      ParseResult r = rules.read(line);
      if (r.isAccepted()) {
        accepted++;
        bad += table.add(r.event());
      } else {
        assertNotNull(r.rejection().reason());
        assertFalse(r.rejection().message().isBlank(), r.rejection().toString());
        byReason.merge(r.rejection().reason(), 1, Integer::sum);
      }
    }
    int rejected = byReason.values().stream().mapToInt(Integer::intValue).sum();
    assertEquals(corpus.size(), accepted + rejected);
    // The grammar reaches every reason but the defect one, and many records survive it.
    for (RejectReason reason : RejectReason.values()) {
      if (reason != RejectReason.UNPROCESSABLE && reason != RejectReason.TOO_LARGE) {
        assertTrue(byReason.getOrDefault(reason, 0) > 0, "no " + reason + " in " + byReason);
      }
    }
    assertTrue(byReason.getOrDefault(RejectReason.TOO_LARGE, 0) >= 1, byReason.toString());
    assertTrue(accepted > 3_000, "ordinary events and the harmless hostile ones: " + accepted);
    assertTrue(bad > 0, "bad metric values are counted");
    for (Map.Entry<ViewKey, RowAggregate> row : table.rows().entrySet()) {
      byte[] key = RowKeyCodec.encode(row.getKey());
      assertTrue(key.length <= RowKeyCodec.MAX_ROW_KEY_BYTES, row.getKey().toString());
      assertEquals(row.getKey(), RowKeyCodec.decode(key));
      byte[] value = RowAggregateCodec.encode(row.getValue());
      RowAggregate back = RowAggregateCodec.decode(value);
      assertEquals(row.getValue(), back, row.getKey().toString());
      assertTrue(java.util.Arrays.equals(value, RowAggregateCodec.encode(back)), "a second encoding is the same bytes");
      for (int m = 0; m < back.size(); m++) {
        Number n = back.state(m).result();
        assertTrue(n == null || Double.isFinite(n.doubleValue()), row.getKey() + " renders " + n);
      }
    }
  }

  @Test
  void theFourInputsOfTheIssueAreDecidedWithoutFailure() {
    // "revenue": 1e-999999999: accepted, a bad metric value for every numeric metric of revenue.
    ParseResult tiny = read("{\"timestamp\":\"2026-11-01T10:00:00Z\",\"type\":\"conversion\",\"campaign\":\"w45\","
        + "\"channel\":\"email\",\"user_id\":\"u1\",\"revenue\":1e-999999999}");
    assertTrue(tiny.isAccepted());
    AggregationTable t = rules.newTable();

    // "campaign": 1e999999999: a dimension value, rendered short.
    Event huge = read("{\"timestamp\":\"2026-11-01T10:00:00Z\",\"type\":\"click\",\"campaign\":1e999999999,"
        + "\"channel\":\"email\"}").event();
    assertEquals(List.of("1e999999999", "email"), catalog.view("campaign_traffic").dimensionValues(huge));
    // A 33 KB dimension value: rejected, naming the field.
    ParseResult long33 = read("{\"timestamp\":\"2026-11-01T10:00:00Z\",\"type\":\"click\",\"campaign\":\""
        + "c".repeat(33_000) + "\"}");
    assertEquals(RejectReason.VALUE_TOO_LONG, long33.rejection().reason());
    assertTrue(long33.rejection().message().contains("\"campaign\""), long33.rejection().message());
    // "revenue":"1e-10000" then "revenue":1 in one row: the first is a bad value, the sum reads back.
    AggregationTable sums = rules.newTable();
    assertTrue(sums.add(read("{\"timestamp\":\"2026-11-01T10:00:00Z\",\"type\":\"conversion\",\"campaign\":\"w\","
        + "\"revenue\":\"1e-10000\"}").event()) > 0);
    assertEquals(0, sums.add(read("{\"timestamp\":\"2026-11-01T10:00:01Z\",\"type\":\"conversion\",\"campaign\":\"w\","
        + "\"revenue\":1}").event()));
    for (RowAggregate row : sums.rows().values()) {
      assertEquals(row, RowAggregateCodec.decode(RowAggregateCodec.encode(row)));
    }
  }

  @Test
  void eachNamedCaseGetsItsReason() {
    Map<String, RejectReason> expected = Map.ofEntries(
        Map.entry("\\ud800", RejectReason.BAD_ENCODING),
        Map.entry("\"deep\":[[[[[[[[[[", RejectReason.OVER_LIMIT),
        Map.entry("\"" + "x".repeat(100), RejectReason.TOO_LARGE),
        Map.entry("9999999999999999999999999999999999999999999", RejectReason.OVER_LIMIT),
        Map.entry("\"" + "\u00e9".repeat(512) + "x\"", RejectReason.VALUE_TOO_LONG),
        Map.entry("NaN}", RejectReason.NOT_JSON_OBJECT),
        Map.entry("\"timestamp\":-9223372036854775808", RejectReason.BAD_TIMESTAMP));
    int matched = 0;
    for (byte[] line : HostileEvents.namedCases()) {
      String text = new String(line, StandardCharsets.UTF_8);
      for (Map.Entry<String, RejectReason> e : expected.entrySet()) {
        if (text.contains(e.getKey()) && !text.contains("\\ud83d")) {
          ParseResult r = rules.read(line);
          assertFalse(r.isAccepted(), text.substring(0, Math.min(200, text.length())));
          assertEquals(e.getValue(), r.rejection().reason(), r.rejection().message());
          matched++;
        }
      }
    }
    assertTrue(matched >= expected.size(), "matched " + matched);
    assertTrue(read("{\"timestamp\":\"2026-11-01T10:00:00Z\",\"campaign\":\"" + "\u00e9".repeat(512) + "\"}").isAccepted(),
        "a value of exactly the limit is accepted");
    assertTrue(read("{\"timestamp\":1,\"unused\":\"\\ud800\"}").isAccepted(), "an unused field is not a key");
    assertTrue(read("{\"timestamp\":1,\"campaign\":\"\\ud83d\\ude00\"}").isAccepted(), "a surrogate pair is fine");
  }

  @Test
  void aViewWhoseDimensionsCouldPassTheRowKeyLimitHasTheirSumChecked() throws Exception {
    StringBuilder dims = new StringBuilder();
    StringBuilder event = new StringBuilder("{\"timestamp\":1");
    for (int i = 0; i < 32; i++) {
      dims.append(i == 0 ? "" : ",").append("\"d").append(i).append('"');
      event.append(",\"d").append(i).append("\":\"").append("v".repeat(1024)).append('"');
    }
    ViewCatalog wide = ViewCatalog.parse("{\"views\":[{\"name\":\"wide\",\"dimensions\":[" + dims
        + "],\"granularities\":[\"day\"],\"metrics\":[{\"name\":\"n\",\"type\":\"count\"}]}]}", "test");
    EventRules r = EventRules.of(wide, EventLimits.defaults());
    long worst = RowKeyCodec.maxEncodedLength("wide", 32, 1024);
    assertTrue(worst > RowKeyCodec.MAX_ROW_KEY_BYTES, "the bound alone would not do: " + worst);
    ParseResult tooWide = r.read((event + "}").getBytes(StandardCharsets.UTF_8));
    assertEquals(RejectReason.VALUE_TOO_LONG, tooWide.rejection().reason());
    assertTrue(tooWide.rejection().message().contains("row key"), tooWide.rejection().message());
    ParseResult fits = r.read((event.toString().replace("\"d31\":\"" + "v".repeat(1024), "\"d31\":\"v") + "}")
        .getBytes(StandardCharsets.UTF_8));
    assertTrue(fits.isAccepted(), () -> fits.rejection().toString());
    AggregationTable table = r.newTable();
    table.add(fits.event());
    for (ViewKey k : table.rows().keySet()) {
      assertTrue(RowKeyCodec.encode(k).length <= RowKeyCodec.MAX_ROW_KEY_BYTES);
    }
    // The shipped views never need the sum: their bound alone fits.
    for (var v : catalog.views()) {
      assertTrue(RowKeyCodec.maxEncodedLength(v.name(), v.dimensions().size(), 1024) <= RowKeyCodec.MAX_ROW_KEY_BYTES);
    }
    // Attribution rows: version, model, day, channel and campaign at the largest configurable value length.
    long attribution = 40 + 20 + 2 + 10 + 2 * (5 + EventLimits.MAX_VALUE_BYTES_CEILING);
    assertTrue(attribution <= RowKeyCodec.MAX_ROW_KEY_BYTES, Long.toString(attribution));
  }

  @Test
  void aRecordIsDecidedTheSameWhateverTheSettingsObjectIsBuiltFrom() {
    EventRules fromSettings = EventRules.of(catalog, EventLimits.fromSettings(Map.of(
        "lambda.event.max-value-bytes", "1024", "lambda.event.timestamp.min", "1970-01-01T00:00:00Z")::get));
    for (byte[] line : HostileEvents.corpus(3, 500, 500)) {
      ParseResult a = rules.read(line);
      ParseResult b = fromSettings.read(line);
      assertEquals(a.isAccepted(), b.isAccepted());
      if (!a.isAccepted()) {
        assertEquals(a.rejection(), b.rejection());
      }
    }
  }
}
