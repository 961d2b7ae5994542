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
    assertEquals(-1000L, accept("{\"timestamp\":-1000}").timestampMillis());
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
      assertTrue(r.isAccepted() || r.rejection().reason() != null);
    }
    byte[] badUtf8 = {'{', '"', 't', 'i', 'm', 'e', 's', 't', 'a', 'm', 'p', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    assertEquals(RejectReason.NOT_JSON_OBJECT, parser.parse(badUtf8).rejection().reason());
  }

  @Test
  void parsesASliceOfABuffer() {
    byte[] buf = "xx{\"timestamp\":5}yy".getBytes(StandardCharsets.UTF_8);
    assertEquals(5L, parser.parse(buf, 2, buf.length - 4).event().timestampMillis());
  }

  @Test
  void identityParsingDecidesExactlyLikeFullParsing() {
    java.util.List<String> samples = new java.util.ArrayList<>();
    new org.lambdadist.core.generate.ClickstreamGenerator(
        org.lambdadist.core.generate.ClickstreamGenerator.Settings.defaults(20_000, 77)).forEachRemaining(samples::add);
    samples.add("{\"timestamp\":1,\"x\":1e999999999999}");
    samples.add("{\"timestamp\":1,\"a\":{\"timestamp\":\"bad\"},\"event_id\":\"e\"}");
    samples.add("{\"timestamp\":1,\"timestamp\":null}");
    Random random = new Random(9);
    for (int i = 0; i < 20_000; i++) {
      byte[] b = samples.get(random.nextInt(samples.size())).getBytes(StandardCharsets.UTF_8);
      if (i % 2 == 0 && b.length > 0) {
        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
      }
      ParseResult full = parser.parse(b);
      ParseResult id = parser.parseIdentity(b, 0, b.length);
      assertEquals(full.isAccepted(), id.isAccepted(), new String(b, StandardCharsets.ISO_8859_1));
      if (full.isAccepted()) {
        assertEquals(full.event().eventId(), id.event().eventId());
        assertEquals(full.event().timestampMillis(), id.event().timestampMillis());
      } else {
        assertEquals(full.rejection().reason(), id.rejection().reason());
      }
    }
  }
}
