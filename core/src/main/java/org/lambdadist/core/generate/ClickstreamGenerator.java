package org.lambdadist.core.generate;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A seeded, endless-looking clickstream as JSON lines: users with sessions over several days;
 * impressions, clicks and page views tagged with a channel and a campaign (the {@code direct}
 * channel has none); conversions with revenue; and, as real feeds have, a share of exact
 * duplicate lines (same {@code event_id}), late lines (emitted well after events with later
 * timestamps) and malformed lines of every reject kind. A few conversions carry a revenue that
 * is not a number, to exercise bad metric values.
 *
 * <p>Timestamps are mostly ISO-8601 with milliseconds, some without, some epoch millis. The
 * same {@link Settings} give the same lines on every JVM.
 */
public final class ClickstreamGenerator implements Iterator<String> {

  /** What to generate; {@link #defaults(long, long)} gives the shipped mix. */
  public record Settings(long events, long seed, Instant start, int days,
                         double duplicateShare, double lateShare, double malformedShare) {
    public Settings {
      if (events < 0) {
        throw new IllegalArgumentException("events must be >= 0: " + events);
      }
      if (days < 1) {
        throw new IllegalArgumentException("days must be >= 1: " + days);
      }
      for (double share : new double[] {duplicateShare, lateShare, malformedShare}) {
        if (share < 0 || share > 0.5) {
          throw new IllegalArgumentException("shares must be in [0, 0.5]: " + share);
        }
      }
    }

    public static Settings defaults(long events, long seed) {
      return new Settings(events, seed, Instant.parse("2026-11-01T00:00:00Z"), 3, 0.02, 0.01, 0.005);
    }

    public Settings withStart(Instant newStart, int newDays) {
      return new Settings(events, seed, newStart, newDays, duplicateShare, lateShare, malformedShare);
    }

    public Settings clean() {
      return new Settings(events, seed, start, days, 0, 0, 0);
    }
  }

  private static final String[] CHANNELS = {"search", "direct", "email", "social", "display", "affiliate"};
  private static final int[] CHANNEL_WEIGHTS = {30, 20, 15, 15, 12, 8};
  private static final String[] CAMPAIGNS = {"w45", "w46", "w47", "black_friday", "brand", "retarget"};
  private static final String[] PAGES = {"/", "/search", "/product/1", "/product/2", "/product/3", "/cart", "/checkout"};
  private static final String[] OS = {"ios", "android", "windows", "macos", "linux"};
  private static final String[] BROWSERS = {"safari", "chrome", "firefox", "edge"};
  private static final String[] COUNTRIES = {"US", "DE", "FR", "GB", "JP", "BR"};

  private final Settings settings;
  private final SplittableRandom random;
  private final int users;
  private final long meanGapMillis;
  private final ArrayDeque<String> session = new ArrayDeque<>();
  private final PriorityQueue<Held> held = new PriorityQueue<>();
  private final List<String> recent = new ArrayList<>();
  private long clock;
  private long emitted;
  private long sessions;
  private int malformedKind;

  private record Held(long releaseAt, long order, String line) implements Comparable<Held> {
    @Override
    public int compareTo(Held o) {
      int c = Long.compare(releaseAt, o.releaseAt);
      return c != 0 ? c : Long.compare(order, o.order);
    }
  }

  public ClickstreamGenerator(Settings settings) {
    this.settings = settings;
    this.random = new SplittableRandom(settings.seed());
    this.users = (int) Math.max(20, Math.min(1_000_000, settings.events() / 40));
    this.clock = settings.start().toEpochMilli();
    long span = settings.days() * 86_400_000L;
    this.meanGapMillis = Math.max(1, span / Math.max(1, settings.events()));
  }

  @Override
  public boolean hasNext() {
    return emitted < settings.events();
  }

  @Override
  public String next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    emitted++;
    Held due = held.peek();
    if (due != null && due.releaseAt() <= emitted) {
      return held.poll().line();
    }
    double roll = random.nextDouble();
    if (roll < settings.malformedShare()) {
      return malformed();
    }
    roll -= settings.malformedShare();
    if (roll < settings.duplicateShare() && !recent.isEmpty()) {
      return recent.get(random.nextInt(recent.size()));
    }
    String line = nextEventLine();
    roll -= settings.duplicateShare();
    if (roll < settings.lateShare()) {
      held.add(new Held(emitted + 500 + random.nextInt(4500), emitted, line));
      emitted--; // the held line is emitted later; produce another now
      return next();
    }
    return line;
  }

  private String nextEventLine() {
    if (session.isEmpty()) {
      newSession();
    }
    String line = session.poll();
    if (recent.size() < 1000) {
      recent.add(line);
    } else {
      recent.set(random.nextInt(recent.size()), line);
    }
    return line;
  }

  private void newSession() {
    sessions++;
    String user = "u" + zeroPadded(Integer.toString(zipfUser()), 6);
    String sessionId = "s" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
    String channel = pick(CHANNELS, CHANNEL_WEIGHTS);
    String campaign = channel.equals("direct") || (channel.equals("search") && random.nextInt(3) == 0)
        ? null : CAMPAIGNS[random.nextInt(CAMPAIGNS.length)];
    String os = OS[random.nextInt(OS.length)];
    String browser = BROWSERS[random.nextInt(BROWSERS.length)];
    String country = COUNTRIES[random.nextInt(COUNTRIES.length)];
    long t = clock;
    if (channel.equals("display") || channel.equals("social")) {
      session.add(line(t, "impression", user, sessionId, channel, campaign, null, os, browser, country, null));
      t += 1000 + random.nextInt(60_000);
      if (random.nextInt(10) < 4) {
        advanceClock();
        return;
      }
    }
    session.add(line(t, "click", user, sessionId, channel, campaign, PAGES[0], os, browser, country, null));
    int views = 1 + random.nextInt(6);
    for (int i = 0; i < views; i++) {
      t += 2000 + random.nextInt(90_000);
      session.add(line(t, "page_view", user, sessionId, channel, campaign, PAGES[random.nextInt(PAGES.length)], os, browser, country, null));
    }
    if (random.nextInt(100) < 6) {
      t += 5000 + random.nextInt(120_000);
      String revenue = random.nextInt(50) == 0 ? "\"unknown\""
          : (5 + random.nextInt(300)) + "." + zeroPadded(Integer.toString(random.nextInt(100)), 2);
      session.add(line(t, "conversion", user, sessionId, channel, campaign, "/checkout", os, browser, country, revenue));
    }
    advanceClock();
  }

  private void advanceClock() {
    // The next session starts after a gap proportional to this session's size, so the stream
    // spans about the configured days.
    long gap = (long) (-Math.log(1 - random.nextDouble()) * meanGapMillis * Math.max(1, session.size()));
    clock = Math.max(clock + gap, clock + 1); // sessions overlap, as real users' do
  }

  private int zipfUser() {
    // Roughly Zipf-like: a few heavy users, a long tail.
    double u = random.nextDouble();
    return (int) Math.min(users - 1, Math.floor(Math.pow(u, 2.5) * users));
  }

  private String pick(String[] values, int[] weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int r = random.nextInt(total);
    for (int i = 0; i < values.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }

  private String line(long t, String type, String user, String sessionId, String channel, String campaign,
                      String page, String os, String browser, String country, String revenue) {
    StringBuilder b = new StringBuilder(320);
    b.append("{\"timestamp\":");
    int style = random.nextInt(20);
    if (style == 0) {
      b.append(t);
    } else if (style <= 2) {
      b.append('"').append(Instant.ofEpochMilli(t - Math.floorMod(t, 1000)).toString()).append('"');
    } else {
      b.append('"').append(isoMillis(t)).append('"');
    }
    b.append(",\"event_id\":\"").append(zeroPadded(Long.toHexString(random.nextLong()), 16)).append('"');
    b.append(",\"type\":\"").append(type).append('"');
    b.append(",\"user_id\":\"").append(user).append('"');
    b.append(",\"session_id\":\"").append(sessionId).append('"');
    b.append(",\"channel\":\"").append(channel).append('"');
    if (campaign != null) {
      b.append(",\"campaign\":\"").append(campaign).append('"');
    }
    if (page != null) {
      b.append(",\"page\":\"").append(page).append('"');
    }
    b.append(",\"country\":\"").append(country).append('"');
    b.append(",\"device\":{\"os\":\"").append(os).append("\",\"browser\":\"").append(browser).append("\"}");
    b.append(",\"latency_ms\":").append(20 + random.nextInt(900));
    if (revenue != null) {
      b.append(",\"revenue\":").append(revenue);
      b.append(",\"order_id\":\"o").append(sessions).append('"');
    }
    b.append('}');
    return b.toString();
  }

  /**
   * {@code digits} with leading zeros up to {@code width} (as {@code %0Nd}/{@code %0Nx} of a
   * non-negative number, without {@code String.format}'s parsing on every line: the generator
   * feeds the speed layer's benchmark from the same JVM).
   */
  private static String zeroPadded(String digits, int width) {
    return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
  }

  private static String isoMillis(long t) {
    String s = Instant.ofEpochMilli(t).toString();
    // Instant.toString drops a zero fraction; keep the shape uniform with three digits.
    if (s.length() == 20) {
      return s.substring(0, 19) + ".000Z";
    }
    return s;
  }

  private String malformed() {
    String ts = isoMillis(clock);
    return switch (malformedKind++ % 7) {
      case 0 -> "{\"timestamp\":\"" + ts + "\",\"type\":\"click\",\"user_id\":\"u1"; // truncated
      case 1 -> "[\"" + ts + "\",\"click\"]";                                       // an array
      case 2 -> "{\"type\":\"page_view\",\"user_id\":\"u000001\"}";                 // no timestamp
      case 3 -> "{\"timestamp\":\"yesterday\",\"type\":\"click\"}";                 // bad timestamp
      case 4 -> "GET /index.html HTTP/1.1";                                         // not JSON
      case 5 -> "{\"timestamp\":12.5,\"type\":\"click\"}";                          // fractional millis
      default -> "{\"timestamp\":\"" + ts + "\",\"event_id\":{\"nested\":true}}";   // bad event_id
    };
  }
}
