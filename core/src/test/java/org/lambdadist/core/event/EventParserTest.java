package org.lambdadist.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventParserTest {
  private final EventParser parser = new EventParser();

  private ParseResult parse(String json) {
    return parser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private Event accept(String json) {
    ParseResult r = parse(json);
    assertTrue(r.isAccepted(), () -> "rejected: " + r.rejection());
    return r.event();
  }

  private void reject(String json, RejectReason reason) {
    ParseResult r = parse(json);
    assertFalse(r.isAccepted(), () -> "accepted: " + json);
    assertEquals(reason, r.rejection().reason(), r.rejection().message());
    assertFalse(r.rejection().message().isEmpty());
  }

  @Test
  void isoInstantsWithZoneAndFractions() {
    assertEquals(Instant.parse("2018-01-01T01:01:35Z").toEpochMilli(),
        accept("{\"timestamp\":\"2018-01-01T01:01:35Z\"}").timestampMillis());
    assertEquals(Instant.parse("2018-01-01T01:01:35.123Z").toEpochMilli(),
        accept("{\"timestamp\":\"2018-01-01T01:01:35.123456789Z\"}").timestampMillis());
    assertEquals(Instant.parse("2018-01-01T00:01:35.500Z").toEpochMilli(),
        accept("{\"timestamp\":\"2018-01-01T01:01:35.5+01:00\"}").timestampMillis());
    assertEquals(Instant.parse("2017-12-31T23:00:00Z").toEpochMilli(),
        accept("{\"timestamp\":\"2017-12-31T18:00:00-05:00\"}").timestampMillis());
  }

  @Test
  void epochMillisAsNumberOrDigits() {
    assertEquals(1514768495000L, accept("{\"timestamp\":1514768495000}").timestampMillis());
    assertEquals(1514768495000L, accept("{\"timestamp\":\"1514768495000\"}").timestampMillis());
    // Before 1970 only when the plausible range says so (lambda.event.timestamp.min).
    reject("{\"timestamp\":-1000}", RejectReason.BAD_TIMESTAMP);
    EventParser wide = new EventParser(EventLimits.defaults().withTimestampRange(-86_400_000L, Long.MAX_VALUE / 4000));
    assertEquals(-1000L, wide.parse("{\"timestamp\":-1000}".getBytes(StandardCharsets.UTF_8)).event().timestampMillis());
  }

  @Test
  void rejectsImplausibleTimesWithoutOverflow() {
    reject("{\"timestamp\":-9223372036854775808}", RejectReason.BAD_TIMESTAMP);
    reject("{\"timestamp\":9223372036854775807}", RejectReason.BAD_TIMESTAMP);
    reject("{\"timestamp\":\"+999999999-12-31T23:59:59Z\"}", RejectReason.BAD_TIMESTAMP);
    reject("{\"timestamp\":\"1969-12-31T23:59:59.999Z\"}", RejectReason.BAD_TIMESTAMP);
    reject("{\"timestamp\":253402300800000}", RejectReason.BAD_TIMESTAMP); // 10000-01-01
    assertEquals(253402300799999L, accept("{\"timestamp\":253402300799999}").timestampMillis());
    assertEquals(0L, accept("{\"timestamp\":0}").timestampMillis());
  }

  @Test
  void parserLimitsAreExplicitAndTheSameForKeptAndSkippedValues() {
    String ok = "{\"timestamp\":1,";
    reject(ok + "\"n\":" + "1".repeat(401) + "}", RejectReason.OVER_LIMIT);
    reject(ok + "\"n\":[" + "1".repeat(401) + "]}", RejectReason.OVER_LIMIT);
    reject(ok + "\"n\":0." + "1".repeat(400) + "}", RejectReason.OVER_LIMIT);
    accept(ok + "\"n\":" + "1".repeat(400) + "}");
    reject(ok + "\"d\":" + "{\"a\":".repeat(32) + "1" + "}".repeat(32) + "}", RejectReason.OVER_LIMIT);
    accept(ok + "\"d\":" + "{\"a\":".repeat(31) + "1" + "}".repeat(31) + "}");
    reject(ok + "\"d\":" + "[".repeat(30_000) + "]".repeat(30_000) + "}", RejectReason.OVER_LIMIT);
    reject("[".repeat(60_000), RejectReason.NOT_JSON_OBJECT); // decided at its first token
    reject("[".repeat(70_000), RejectReason.TOO_LARGE);
    reject(ok + "\"n\":NaN}", RejectReason.NOT_JSON_OBJECT);
    reject(ok + "\"n\":Infinity}", RejectReason.NOT_JSON_OBJECT);
    assertEquals(EventParser.jacksonVersion(), com.fasterxml.jackson.core.json.PackageVersion.VERSION.toString());
  }

  @Test
  void eventIdsAreBoundedAndValidUnicode() {
    reject("{\"timestamp\":1,\"event_id\":\"" + "e".repeat(1025) + "\"}", RejectReason.VALUE_TOO_LONG);
    accept("{\"timestamp\":1,\"event_id\":\"" + "e".repeat(1024) + "\"}");
    reject("{\"timestamp\":1,\"event_id\":\"\\ud800\"}", RejectReason.BAD_ENCODING);
    assertEquals("\ud83d\ude00", accept("{\"timestamp\":1,\"event_id\":\"\\ud83d\\ude00\"}").eventId());
    reject("{\"timestamp\":1,\"event_id\":1e400}", RejectReason.BAD_EVENT_ID);
  }

  @Test
  void rejectsEachKindWithAReason() {
    reject("", RejectReason.NOT_JSON_OBJECT);
    reject("   ", RejectReason.NOT_JSON_OBJECT);
    reject("[1,2]", RejectReason.NOT_JSON_OBJECT);
    reject("\"text\"", RejectReason.NOT_JSON_OBJECT);
    reject("42", RejectReason.NOT_JSON_OBJECT);
    reject("{\"timestamp\":\"2018-01-01T01:01:35Z\"", RejectReason.NOT_JSON_OBJECT);
    reject("{\"timestamp\":1} {}", RejectReason.NOT_JSON_OBJECT);
    reject("GET / HTTP/1.1", RejectReason.NOT_JSON_OBJECT);
    reject("{}", RejectReason.MISSING_TIMESTAMP);
    reject("{\"timestamp\":null}", RejectReason.MISSING_TIMESTAMP);
    reject("{\"meta\":{\"timestamp\":1}}", RejectReason.MISSING_TIMESTAMP);
    reject("{\"timestamp\":\"yesterday\"}", RejectReason.BAD_TIMESTAMP);
    reject("{\"timestamp\":\"2018-01-01T01:01:35\"}", RejectReason.BAD_TIMESTAMP); // no zone
    reject("{\"timestamp\":\"2018-02-30T01:01:35Z\"}", RejectReason.BAD_TIMESTAMP);
    reject("{\"timestamp\":12.5}", RejectReason.BAD_TIMESTAMP);
    reject("{\"timestamp\":true}", RejectReason.BAD_TIMESTAMP);
    reject("{\"timestamp\":{\"s\":1}}", RejectReason.BAD_TIMESTAMP);
    reject("{\"timestamp\":1,\"event_id\":{\"a\":1}}", RejectReason.BAD_EVENT_ID);
    reject("{\"timestamp\":1,\"event_id\":1.5}", RejectReason.BAD_EVENT_ID);
  }

  @Test
  void rejectsRecordsOverTheSizeLimit() {
    EventParser small = new EventParser(100);
    String big = "{\"timestamp\":1,\"pad\":\"" + "x".repeat(200) + "\"}";
    ParseResult r = small.parse(big.getBytes(StandardCharsets.UTF_8));
    assertEquals(RejectReason.TOO_LARGE, r.rejection().reason());
    assertTrue(r.rejection().message().contains("100"));
  }

  @Test
  void flattensNestedObjectsToDottedPathsAndKeepsTypes() {
    Event e = accept("{\"timestamp\":1,\"event_id\":\"e1\",\"device\":{\"os\":\"ios\",\"screen\":{\"w\":390}},"
        + "\"price\":12.50,\"n\":3,\"ok\":true,\"gone\":null,\"tags\":[1,{\"a\":2}],\"big\":123456789012345678901234}");
    assertEquals("e1", e.eventId());
    assertEquals("ios", e.field("device.os"));
    assertEquals(390L, e.field("device.screen.w"));
    assertEquals(new BigDecimal("12.50"), e.field("price"));
    assertEquals(3L, e.field("n"));
    assertEquals(Boolean.TRUE, e.field("ok"));
    assertNull(e.field("gone"));
    assertNull(e.field("tags"));
    assertNull(e.field("tags.a"));
    assertEquals(new BigDecimal("123456789012345678901234"), e.field("big"));
    assertEquals("7", accept("{\"timestamp\":1,\"event_id\":7}").eventId());
    assertNull(accept("{\"timestamp\":1,\"event_id\":null}").eventId());
  }

  @Test
  void neverThrowsOnAnyBytes() {
    Random random = new Random(42);
    byte[] valid = "{\"timestamp\":\"2018-01-01T01:01:35Z\",\"a\":{\"b\":[1,2,\"x\"]},\"c\":\"\u00e9\"}"
        .getBytes(StandardCharsets.UTF_8);
    int rejected = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes;
      if (i % 2 == 0) {
        bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
      } else {
        bytes = valid.clone();
        for (int k = 0; k < 1 + random.nextInt(4); k++) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
      }
      ParseResult r = parser.parse(bytes);
      ParseResult again = parser.parse(bytes.clone());
      assertEquals(r.isAccepted(), again.isAccepted(), "the same bytes, the same decision");
      if (r.isAccepted()) {
        // an accepted record is a JSON object with a plausible time: valid UTF-8 throughout
        assertTrue(Utf8.firstInvalid(bytes, 0, bytes.length) < 0);
        assertTrue(r.event().timestampMillis() >= 0);
        assertEquals(r.event().fields(), again.event().fields());
      } else {
        assertEquals(r.rejection(), again.rejection());
        assertFalse(r.rejection().message().isBlank());
        if (Utf8.firstInvalid(bytes, 0, bytes.length) >= 0) {
          assertEquals(RejectReason.BAD_ENCODING, r.rejection().reason(), r.rejection().message());
        }
      }
      rejected += r.isAccepted() ? 0 : 1;
    }
    assertTrue(rejected > 10_000 && rejected < 20_000, "random bytes are rejected, mutated events often not: " + rejected);
    byte[] badUtf8 = {'{', '"', 't', 'i', 'm', 'e', 's', 't', 'a', 'm', 'p', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    assertEquals(RejectReason.BAD_ENCODING, parser.parse(badUtf8).rejection().reason());
  }

  @Test
  void parsesASliceOfABuffer() {
    byte[] buf = "xx{\"timestamp\":5}yy".getBytes(StandardCharsets.UTF_8);
    assertEquals(5L, parser.parse(buf, 2, buf.length - 4).event().timestampMillis());
  }
}
