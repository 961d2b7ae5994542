package org.lambdadist.core.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.lambdadist.core.generate.ClickstreamGenerator;

/**
 * A grammar-based corpus of hostile records for the clickstream views, mixed with ordinary
 * events: long strings, huge and tiny exponents, 10,000-digit numbers, deep nesting of objects
 * and arrays, NaN and Infinity, invalid UTF-8, lone surrogates, duplicate keys, extreme
 * timestamps, and numbers, objects and arrays where strings are expected. Seeded, so every run
 * and every layer sees the same bytes. No record holds a raw line break (each is one line of a
 * file and one Kafka message).
 */
public final class HostileEvents {
  private static final String DAY = "2026-11-01T";
  private static final String[] FIELDS = {"campaign", "channel", "user_id", "session_id", "revenue", "latency_ms",
      "page", "country", "type"};
  private static final String[] TYPES = {"click", "conversion", "page_view", "impression"};

  private HostileEvents() {}

  /** The named cases: each kind once, the four inputs of issue 10 first. */
  public static List<byte[]> namedCases() {
    List<String> s = new ArrayList<>();
    String ok = "\"timestamp\":\"2026-11-01T10:00:00Z\",\"type\":\"conversion\",\"user_id\":\"u1\",\"channel\":\"email\"";
    s.add("{" + ok + ",\"campaign\":\"w45\",\"revenue\":1e-999999999}");
    s.add("{" + ok + ",\"campaign\":1e999999999,\"revenue\":5}");
    s.add("{" + ok + ",\"campaign\":\"" + "c".repeat(33_000) + "\"}");
    s.add("{" + ok + ",\"campaign\":\"w46\",\"revenue\":\"1e-10000\"}");
    s.add("{" + ok + ",\"campaign\":\"w46\",\"revenue\":1}");
    s.add("{\"timestamp\":-9223372036854775808,\"type\":\"click\"}");
    s.add("{\"timestamp\":9223372036854775807,\"type\":\"click\"}");
    s.add("{\"timestamp\":\"+999999999-12-31T23:59:59Z\",\"type\":\"click\"}");
    s.add("{\"timestamp\":\"1969-12-31T23:59:59.999Z\",\"type\":\"click\"}");
    s.add("{\"timestamp\":253402300799999,\"type\":\"click\",\"campaign\":\"end-of-time\"}");
    s.add("{\"timestamp\":0,\"type\":\"click\",\"campaign\":\"epoch\"}");
    s.add("{" + ok + ",\"campaign\":\"x\",\"revenue\":" + "9".repeat(10_000) + "}");
    s.add("{" + ok + ",\"campaign\":\"x\",\"unused\":" + "1".repeat(10_000) + "}");
    s.add("{" + ok + ",\"campaign\":\"x\",\"revenue\":NaN}");
    s.add("{" + ok + ",\"campaign\":\"x\",\"revenue\":Infinity}");
    s.add("{" + ok + ",\"campaign\":\"x\",\"revenue\":\"NaN\"}");
    s.add("{" + ok + ",\"campaign\":\"x\",\"revenue\":\"-Infinity\"}");
    s.add("{" + ok + ",\"campaign\":\"\\ud800\"}");
    s.add("{" + ok + ",\"campaign\":\"\\ud83d\\ude00\"}");
    s.add("{" + ok + ",\"campaign\":\"w45\",\"unused\":\"\\udc00\"}");
    s.add("{" + ok + ",\"campaign\":\"w45\",\"event_id\":\"\\ud800x\"}");
    s.add("{" + ok + ",\"campaign\":\"a\",\"campaign\":\"b\"}");
    s.add("{\"timestamp\":1,\"timestamp\":\"2026-11-01T10:00:00Z\",\"type\":\"click\"}");
    s.add("{" + ok + ",\"campaign\":{\"nested\":true}}");
    s.add("{" + ok + ",\"campaign\":[1,2]}");
    s.add("{" + ok + ",\"campaign\":true}");
    s.add("{" + ok + ",\"campaign\":null}");
    s.add("{" + ok + ",\"campaign\":\"\"}");
    s.add("{" + ok + ",\"event_id\":1e400}");
    s.add("{" + ok + ",\"event_id\":\"" + "e".repeat(2000) + "\"}");
    s.add("{" + ok + ",\"campaign\":\"z\",\"deep\":" + "{\"a\":".repeat(31) + "1" + "}".repeat(31) + "}");
    s.add("{" + ok + ",\"campaign\":\"z\",\"deep\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(40) + "}");
    s.add("{" + ok + ",\"campaign\":\"z\",\"deep\":" + "[".repeat(30_000) + "]".repeat(30_000) + "}");
    s.add("[".repeat(60_000));
    s.add("[".repeat(200_000));
    s.add("{" + ok + ",\"campaign\":\"" + "x".repeat(70_000) + "\"}");
    s.add("{" + ok + ",\"campaign\":\"w47\",\"revenue\":1e300}");
    s.add("{" + ok + ",\"campaign\":\"w47\",\"revenue\":9.99e299}");
    s.add("{" + ok + ",\"campaign\":\"w47\",\"revenue\":-1e309}");
    s.add("{" + ok + ",\"campaign\":\"w47\",\"revenue\":1e-30}");
    s.add("{" + ok + ",\"campaign\":\"w47\",\"revenue\":1e-31}");
    s.add("{" + ok + ",\"campaign\":\"w47\",\"revenue\":1.0000000000000000000000000000000000000000}");
    s.add("{" + ok + ",\"campaign\":\"" + "\u00e9".repeat(512) + "\"}"); // 1024 bytes: at the limit
    s.add("{" + ok + ",\"campaign\":\"" + "\u00e9".repeat(512) + "x\"}"); // 1025 bytes: over it
    s.add("{" + ok + ",\"campaign\":0.000000000000000000000000000000000000000000000001}");
    s.add("{" + ok + ",\"campaign\":-0.0}");
    s.add("{" + ok + ",\"campaign\":\"ctl\\u0000\\u0001\\t\"}");
    s.add("\ufeff{" + ok + "}");
    s.add("");
    s.add("   ");
    s.add("{" + ok + "} trailing");
    List<byte[]> out = new ArrayList<>();
    for (String line : s) {
      out.add(line.getBytes(StandardCharsets.UTF_8));
    }
    String base = "{" + ok + ",\"campaign\":\"";
    out.add(concat(base, new byte[] {(byte) 0xC3, (byte) 0x28}, "\"}"));             // bad continuation
    out.add(concat(base, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\"}")); // an encoded surrogate
    out.add(concat(base, new byte[] {(byte) 0xC0, (byte) 0xAF}, "\"}"));             // overlong '/'
    out.add(concat(base, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, "\"}")); // > U+10FFFF
    out.add(concat("{" + ok + ",\"x\":\"", new byte[] {(byte) 0xFF}, "\",\"campaign\":\"w45\"}"));
    out.add(concat("{" + ok + ",\"", new byte[] {(byte) 0xE2, (byte) 0x82}, "\":1}"));  // truncated, in a name
    return out;
  }

  /**
   * {@code normal} ordinary clickstream events with {@code hostile} generated hostile records
   * and the named cases spread among them, in a seeded order.
   */
  public static List<byte[]> corpus(long seed, int normal, int hostile) {
    List<byte[]> lines = new ArrayList<>();
    new ClickstreamGenerator(ClickstreamGenerator.Settings.defaults(normal, seed))
        .forEachRemaining(l -> lines.add(l.getBytes(StandardCharsets.UTF_8)));
    Random random = new Random(seed);
    List<byte[]> bad = new ArrayList<>(namedCases());
    for (int i = 0; i < hostile; i++) {
      bad.add(generate(random));
    }
    for (byte[] b : bad) {
      lines.add(random.nextInt(lines.size() + 1), b);
    }
    return lines;
  }

  /** One hostile record from the grammar. */
  public static byte[] generate(Random r) {
    StringBuilder b = new StringBuilder("{");
    b.append("\"timestamp\":").append(timestamp(r));
    if (r.nextInt(4) == 0) {
      b.append(",\"event_id\":").append(r.nextInt(3) == 0 ? value(r, 0) : "\"h" + r.nextInt(50) + "\"");
    }
    b.append(",\"type\":").append(r.nextInt(5) == 0 ? value(r, 0) : "\"" + TYPES[r.nextInt(TYPES.length)] + "\"");
    int n = 1 + r.nextInt(6);
    for (int i = 0; i < n; i++) {
      String field = r.nextInt(8) == 0 ? "unused" : FIELDS[r.nextInt(FIELDS.length)];
      b.append(",\"").append(field).append("\":").append(r.nextInt(3) == 0 ? value(r, 0) : ordinary(r, field));
    }
    if (r.nextInt(6) == 0) {
      b.append(",\"device\":{\"os\":").append(value(r, 1)).append('}');
    }
    b.append('}');
    byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
    return r.nextInt(10) == 0 ? mutate(bytes, r) : bytes;
  }

  private static String ordinary(Random r, String field) {
    return switch (field) {
      case "revenue", "latency_ms" -> Integer.toString(r.nextInt(1000));
      case "type" -> "\"" + TYPES[r.nextInt(TYPES.length)] + "\"";
      default -> "\"" + field.charAt(0) + r.nextInt(5) + "\"";
    };
  }

  private static String timestamp(Random r) {
    return switch (r.nextInt(12)) {
      case 0 -> Long.toString(Long.MIN_VALUE);
      case 1 -> Long.toString(Long.MAX_VALUE);
      case 2 -> "-1";
      case 3 -> "\"+999999999-12-31T23:59:59Z\"";
      case 4 -> "253402300800000";
      case 5 -> "1.5e12";
      case 6 -> value(r, 0);
      default -> "\"" + DAY + String.format("%02d:%02d:%02d.%03dZ", r.nextInt(24), r.nextInt(60), r.nextInt(60),
          r.nextInt(1000)) + "\"";
    };
  }

  /** A JSON value of a hostile kind. */
  private static String value(Random r, int depth) {
    return switch (r.nextInt(depth > 3 ? 16 : 19)) {
      case 0 -> "\"" + "v".repeat(1000 + r.nextInt(60)) + "\"";
      case 1 -> "\"" + "w".repeat(30_000 + r.nextInt(5000)) + "\"";
      case 2 -> "1e" + (r.nextBoolean() ? "" : "-") + (300 + r.nextInt(999_999_999));
      case 3 -> "\"1e" + (r.nextBoolean() ? "" : "-") + r.nextInt(20_000) + "\"";
      case 4 -> "9".repeat(r.nextInt(2) == 0 ? 10_000 : 399) + (r.nextBoolean() ? ".5" : "");
      case 5 -> r.nextBoolean() ? "NaN" : "-Infinity";
      case 6 -> r.nextBoolean() ? "\"NaN\"" : "\"Infinity\"";
      case 7 -> "\"\\ud800" + r.nextInt(10) + "\"";
      case 8 -> "\"\\udfff\"";
      case 9 -> "\"\\ud83d\\ude00" + r.nextInt(3) + "\"";
      case 10 -> r.nextBoolean() ? "true" : "null";
      case 11 -> "\"\"";
      case 12 -> Long.toString(r.nextLong());
      case 13 -> "0." + "0".repeat(r.nextInt(60)) + "1";
      case 14 -> "-0.0";
      case 15 -> "\"\\u0000\\u001f\\\\\\\"\"";
      case 16 -> "{\"a\":" + value(r, depth + 1) + ",\"a\":" + value(r, depth + 1) + "}";
      case 17 -> "[" + value(r, depth + 1) + "," + value(r, depth + 1) + "]";
      default -> "[".repeat(20 + r.nextInt(30)) + "]".repeat(20 + r.nextInt(30)); // maybe unbalanced
    };
  }

  /** Byte-level damage: invalid UTF-8 inserted, truncation, garbage; never a raw line break. */
  private static byte[] mutate(byte[] b, Random r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + 8);
    int at = r.nextInt(b.length);
    switch (r.nextInt(4)) {
      case 0 -> {
        out.write(b, 0, at);
        out.write(0x80 + r.nextInt(0x80));
        out.write(b, at, b.length - at);
      }
      case 1 -> out.write(b, 0, at);
      case 2 -> {
        out.write(b, 0, at);
        out.write(0xED);
        out.write(0xB0);
        out.write(0x80);
        out.write(b, at, b.length - at);
      }
      default -> {
        out.write(b, 0, b.length);
        byte[] junk = new byte[1 + r.nextInt(8)];
        r.nextBytes(junk);
        out.write(junk, 0, junk.length);
      }
    }
    byte[] result = out.toByteArray();
    for (int i = 0; i < result.length; i++) {
      if (result[i] == '\n' || result[i] == '\r') {
        result[i] = ' ';
      }
    }
    return result;
  }

  private static byte[] concat(String head, byte[] middle, String tail) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(middle);
    out.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }
}
