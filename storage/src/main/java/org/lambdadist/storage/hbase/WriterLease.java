package org.lambdadist.storage.hbase;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.hbase.client.CheckAndMutate;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Table;

/**
 * A lease on shared state with a fencing token: meta row {@code lease/<name>}, columns
 * {@code holder}, {@code token} and {@code expires_at}. One writer holds it at a time; it is
 * taken with check-and-mutate on the token, and every acquisition, takeover included, raises the
 * token. The holder renews it (a heartbeat every third of its time to live); a holder that
 * stops renewing (killed, paused) loses it once it expires, and another may take it over.
 * Before every commit point (an epoch's rename, a version flip, a table drop, a micro-batch's
 * commit) the holder calls {@link #check}: when its token is no longer the lease's, it was
 * taken over, and the commit is refused, so a writer that was paused past its lease never
 * overwrites the work of its successor.
 *
 * <p>Names: {@link #BATCH} (archive, load, rollback, the cycle) and {@link #SPEED} (the speed
 * layer). A batch cycle's steps, and the steps of an Oozie workflow, join the lease their cycle
 * took (same holder) instead of taking their own.
 */
public final class WriterLease implements AutoCloseable {
  public static final String BATCH = "batch";
  public static final String SPEED = "speed";

  private static final byte[] HOLDER = HBaseSchema.bytes("holder");
  private static final byte[] TOKEN = HBaseSchema.bytes("token");
  private static final byte[] EXPIRES = HBaseSchema.bytes("expires_at");

  /** The lease is held by another writer. */
  public static class HeldException extends IOException {
    private static final long serialVersionUID = 1L;

    HeldException(String message) {
      super(message);
    }
  }

  /** The lease was taken over: this writer must not commit. */
  public static class LostException extends IOException {
    private static final long serialVersionUID = 1L;

    public LostException(String message) {
      super(message);
    }
  }

  /** What the meta row says. */
  public record State(String holder, long token, long expiresAtMillis) {}

  private final Connection connection;
  private final HBaseSchema schema;
  private final String name;
  private final String holder;
  private final long token;
  private final long ttlMillis;
  private final Clock clock;
  private final boolean joined;
  private volatile boolean lost;
  private ScheduledExecutorService heartbeat;

  private WriterLease(Connection connection, HBaseSchema schema, String name, String holder, long token, long ttlMillis,
                      Clock clock, boolean joined) {
    this.connection = connection;
    this.schema = schema;
    this.name = name;
    this.holder = holder;
    this.token = token;
    this.ttlMillis = ttlMillis;
    this.clock = clock;
    this.joined = joined;
  }

  private static final java.util.concurrent.atomic.AtomicLong HOLDERS = new java.util.concurrent.atomic.AtomicLong();

  /** A holder id: {@code what@host:pid:millis:n}, unique per call, also for two writers of one process. */
  public static String holderId(String what, Clock clock) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown-host";
    }
    return what + "@" + host + ":" + ManagementFactory.getRuntimeMXBean().getPid() + ":" + clock.millis() + ":"
        + HOLDERS.incrementAndGet();
  }

  private static byte[] row(String name) {
    return HBaseSchema.bytes("lease/" + name);
  }

  /** The lease's state, or null when it was never taken. */
  public static State read(Connection connection, HBaseSchema schema, String name) throws IOException {
    try (Table meta = connection.getTable(schema.meta())) {
      Result r = meta.get(new Get(row(name)).addFamily(HBaseSchema.META_FAMILY));
      if (r.isEmpty()) {
        return null;
      }
      return new State(text(r, HOLDER), Long.parseLong(text(r, TOKEN)), r.getValue(HBaseSchema.META_FAMILY, EXPIRES) == null
          ? 0 : Long.parseLong(text(r, EXPIRES)));
    }
  }

  private static String text(Result r, byte[] column) {
    byte[] v = r.getValue(HBaseSchema.META_FAMILY, column);
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }

  /**
   * Takes the lease for {@code holder}, waiting up to {@code waitMillis} for another holder's
   * lease to expire; throws {@link HeldException} naming the holder when it is still held.
   */
  public static WriterLease acquire(Connection connection, HBaseSchema schema, String name, String holder,
                                    long ttlMillis, long waitMillis, Clock clock) throws IOException {
    long giveUp = clock.millis() + waitMillis;
    try (Table meta = connection.getTable(schema.meta())) {
      while (true) {
        State s = read(connection, schema, name);
        long now = clock.millis();
        if (s == null || s.holder() == null || s.expiresAtMillis() <= now || holder.equals(s.holder())) {
          long next = s == null ? 1 : s.token() + 1;
          Put put = new Put(row(name))
              .addColumn(HBaseSchema.META_FAMILY, HOLDER, HBaseSchema.bytes(holder))
              .addColumn(HBaseSchema.META_FAMILY, TOKEN, HBaseSchema.bytes(Long.toString(next)))
              .addColumn(HBaseSchema.META_FAMILY, EXPIRES, HBaseSchema.bytes(Long.toString(now + ttlMillis)));
          CheckAndMutate.Builder check = CheckAndMutate.newBuilder(row(name));
          CheckAndMutate cam = s == null ? check.ifNotExists(HBaseSchema.META_FAMILY, TOKEN).build(put)
              : check.ifEquals(HBaseSchema.META_FAMILY, TOKEN, HBaseSchema.bytes(Long.toString(s.token()))).build(put);
          if (meta.checkAndMutate(cam).isSuccess()) {
            return new WriterLease(connection, schema, name, holder, next, ttlMillis, clock, false);
          }
          continue; // another writer got there first: read again
        }
        if (now >= giveUp) {
          throw new HeldException("the " + name + " lease is held by " + s.holder() + " until "
              + Instant.ofEpochMilli(s.expiresAtMillis()) + " (token " + s.token() + "); another writer is running");
        }
        try {
          Thread.sleep(Math.min(1_000, Math.max(50, giveUp - now)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the " + name + " lease", e);
        }
      }
    }
  }

  /**
   * Joins the lease {@code holder} already holds (a cycle's step, an Oozie action): the work is
   * fenced by the holder's token, and the holder, not this writer, renews and releases it.
   */
  public static WriterLease join(Connection connection, HBaseSchema schema, String name, String holder, Clock clock)
      throws IOException {
    State s = read(connection, schema, name);
    if (s == null || !holder.equals(s.holder()) || s.expiresAtMillis() <= clock.millis()) {
      throw new LostException("the " + name + " lease is not held by " + holder + " (it is "
          + (s == null || s.holder() == null ? "free" : "held by " + s.holder()) + "): take it first");
    }
    return new WriterLease(connection, schema, name, holder, s.token(), s.expiresAtMillis() - clock.millis(), clock, true);
  }

  /** Releases the lease if {@code holder} holds it (Oozie's unlock step); returns whether it did. */
  public static boolean release(Connection connection, HBaseSchema schema, String name, String holder)
      throws IOException {
    State s = read(connection, schema, name);
    if (s == null || !holder.equals(s.holder())) {
      return false;
    }
    try (Table meta = connection.getTable(schema.meta())) {
      return meta.checkAndMutate(CheckAndMutate.newBuilder(row(name))
          .ifEquals(HBaseSchema.META_FAMILY, TOKEN, HBaseSchema.bytes(Long.toString(s.token())))
          .build(new Delete(row(name)).addColumns(HBaseSchema.META_FAMILY, HOLDER)
              .addColumns(HBaseSchema.META_FAMILY, EXPIRES))).isSuccess();
    }
  }

  /** Renews the lease every third of its time to live until closed; a failed renewal marks it lost. */
  public WriterLease withHeartbeat() {
    if (joined || heartbeat != null) {
      return this;
    }
    heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lease-" + name);
      t.setDaemon(true);
      return t;
    });
    long period = Math.max(100, ttlMillis / 3);
    heartbeat.scheduleWithFixedDelay(() -> {
      try {
        if (!renew()) {
          lost = true;
        }
      } catch (IOException | RuntimeException e) {
        // HBase away: the next renewal may work before the lease expires; check() decides.
      }
    }, period, period, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Extends the lease if this writer still holds it; false when it was taken over. */
  public boolean renew() throws IOException {
    Put put = new Put(row(name)).addColumn(HBaseSchema.META_FAMILY, EXPIRES,
        HBaseSchema.bytes(Long.toString(clock.millis() + ttlMillis)));
    try (Table meta = connection.getTable(schema.meta())) {
      return meta.checkAndMutate(CheckAndMutate.newBuilder(row(name))
          .ifEquals(HBaseSchema.META_FAMILY, TOKEN, HBaseSchema.bytes(Long.toString(token))).build(put)).isSuccess();
    }
  }

  /**
   * The fence: throws {@link LostException} unless this writer's token is still the lease's
   * and the lease has not expired. Call right before a commit point named by {@code what}.
   */
  public void check(String what) throws IOException {
    State s = read(connection, schema, name);
    if (lost || s == null || s.token() != token || !holder.equals(s.holder()) || s.expiresAtMillis() <= clock.millis()) {
      lost = true;
      throw new LostException("refusing to " + what + ": the " + name + " lease of " + holder + " (token " + token
          + ") was taken over" + (s == null || s.holder() == null ? "" : " by " + s.holder() + " (token " + s.token() + ")")
          + " or expired; nothing was committed by this writer");
    }
  }

  public long token() {
    return token;
  }

  public String holder() {
    return holder;
  }

  /** Stops the heartbeat and, unless joined, releases the lease if this writer still holds it (the token stays). */
  @Override
  public void close() throws IOException {
    if (heartbeat != null) {
      heartbeat.shutdownNow();
    }
    if (joined) {
      return;
    }
    try (Table meta = connection.getTable(schema.meta())) {
      meta.checkAndMutate(CheckAndMutate.newBuilder(row(name))
          .ifEquals(HBaseSchema.META_FAMILY, TOKEN, HBaseSchema.bytes(Long.toString(token)))
          .build(new Delete(row(name)).addColumns(HBaseSchema.META_FAMILY, HOLDER)
              .addColumns(HBaseSchema.META_FAMILY, EXPIRES)));
    }
  }
}
