package org.lambdadist.batch.partial;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.SequenceFile;
import org.lambdadist.batch.aggregate.AggregateCounters;
import org.lambdadist.batch.aggregate.ViewRowFile;
import org.lambdadist.core.aggregate.AggregationTable;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.codec.ViewKeyCodec;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.event.ProjectedEvents;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.view.ViewKey;
import org.lambdadist.storage.layout.DataLayout;
import org.lambdadist.storage.layout.MasterDataset;
import org.lambdadist.storage.layout.Partials;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * Computes the partial rows of an epoch {@code import} or {@code archive} just committed and
 * indexed, in this process, on every core: the same {@link PartialFold} as the partial rows
 * job's mappers over the same projected events (the index's {@code events-<n>.seq}, read back
 * while they are still in the page cache), one fold per core, merged at the end. A row state
 * writes the same bytes whatever the grouping of its events, so the rows, counters and checks
 * are those of the job (the quarantine lines too, in reading order in one file), committed the
 * same way; {@code aggregate} finds them and only merges. This saves the MapReduce job's fixed
 * cost (job configuration written and parsed back, task set-up, sort and spill of every partial
 * row) on the command a cycle runs for every new epoch.
 *
 * <p>Memory is bounded as a mapper's is: when one core's table reaches its share of
 * {@code lambda.aggregate.flush-rows} rows (divided by the cores), the computation stops and the
 * epoch's rows are left to the job of the next {@code aggregate} (said on the log). Any failure is only work left to do:
 * the epoch and its index are committed already.
 */
public final class PartialRowsInProcess {
  private static final String QUARANTINE_FILE = "part-m-00000";

  private final Configuration conf;
  private final EventRules rules;
  private final MasterDataset master;
  private final Partials partials;
  private final int reducers;
  private final int flushRows;
  private final int threads;

  public PartialRowsInProcess(Configuration conf, EventRules rules, MasterDataset master, Partials partials) {
    this.conf = conf;
    this.rules = rules;
    this.master = master;
    this.partials = partials;
    this.reducers = LambdaSettings.getInt(conf, LambdaKeys.AGGREGATE_REDUCERS);
    this.threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    // The rows of all cores' tables together stay within a mapper's bound, however many cores.
    this.flushRows = Math.max(1, LambdaSettings.getInt(conf, LambdaKeys.AGGREGATE_FLUSH_ROWS) / threads);
  }

  /** Raised when a core's table is full: the epoch is left to the job, which can flush. */
  static final class TableFull extends IOException {
    TableFull(int rows, int cores) {
      super("over " + rows + " view rows in one of " + cores + " cores' tables (" + LambdaKeys.AGGREGATE_FLUSH_ROWS
          + " divided by the cores)");
    }
  }

  /** One core's fold, its reader of projected records, and the quarantine lines of its current chunk. */
  private final class Worker implements PartialFold.Output {
    final ProjectedEvents.Reader reader = new ProjectedEvents.Reader(rules.projection());
    final PartialFold fold;
    List<String> lines;

    Worker(SkipPositions skips) {
      this.fold = new PartialFold(rules, skips, flushRows, this);
    }

    @Override
    public void rows(long epoch, AggregationTable table) throws IOException {
      throw new TableFull(flushRows, threads);
    }

    @Override
    public void quarantine(long epoch, String jsonLine) {
      lines.add(jsonLine);
    }
  }

  /**
   * Computes and commits {@code epoch}'s rows from its committed index unless it has them;
   * returns the checked counters, or null when its rows were there already.
   */
  public Map<String, Long> compute(long epoch, PrintStream log) throws IOException {
    if (partials.hasRows(epoch)) {
      return null;
    }
    Folding folding = start(epoch, partials.indexDir(epoch), new SkipPositions(conf, partials));
    try {
      return commit(folding.await(), log);
    } finally {
      folding.cancel();
    }
  }

  /** An epoch's fold running on other threads ({@link #start}). */
  public final class Folding {
    private final long epoch;
    private final Path work;
    private final java.util.concurrent.CompletableFuture<Folded> result = new java.util.concurrent.CompletableFuture<>();
    private final ExecutorService pool;
    private final Thread reader;

    private Folding(long epoch, Path eventsDir, SkipPositions skips) {
      this.epoch = epoch;
      this.work = new Path(partials.tmpDir(), "rows." + UUID.randomUUID());
      this.pool = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "lambda-rows-" + epoch);
        t.setDaemon(true);
        return t;
      });
      this.reader = new Thread(() -> {
        try {
          result.complete(fold(epoch, eventsDir, skips, work, pool));
        } catch (Throwable e) {
          result.completeExceptionally(e);
        } finally {
          pool.shutdownNow();
        }
      }, "lambda-rows-reader-" + epoch);
      reader.setDaemon(true);
    }

    /** Waits for the fold; its failure as an IOException. */
    public Folded await() throws IOException {
      try {
        return result.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while computing the partial rows of epoch " + epoch);
      } catch (ExecutionException e) {
        throw PerPart.failure(e, "computing the partial rows of epoch " + epoch);
      }
    }

    /** Stops the fold if it still runs (its inputs are about to go) and removes what it wrote. */
    public void cancel() throws IOException {
      reader.interrupt();
      for (Runnable dropped : pool.shutdownNow()) {
        if (dropped instanceof Future<?> f) {
          f.cancel(true); // so the reader, waiting on it, stops even if its interrupt was swallowed
        }
      }
      try {
        reader.join(TimeUnit.MINUTES.toMillis(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (reader.isAlive()) {
        throw new IOException("the fold of epoch " + epoch + " did not stop; " + work + " is left to be removed");
      }
      partials.fileSystem().delete(work, true);
    }
  }

  /** What an epoch's fold made: its rows and quarantine file written under {@code work}, its counters. */
  public static final class Folded {
    final long epoch;
    final Path work;
    final long rows;
    final EpochCounts counts;
    final long partialRows;
    final long started;

    Folded(long epoch, Path work, long rows, EpochCounts counts, long partialRows, long started) {
      this.epoch = epoch;
      this.work = work;
      this.rows = rows;
      this.counts = counts;
      this.partialRows = partialRows;
      this.started = started;
    }
  }

  /**
   * Starts folding the projected events in {@code eventsDir} (an index's {@code events-<n>.seq},
   * one per master file of the epoch, committed or not), skipping what {@code skips} lists.
   */
  public Folding start(long epoch, Path eventsDir, SkipPositions skips) {
    Folding f = new Folding(epoch, eventsDir, skips);
    f.reader.start();
    return f;
  }

  private Folded fold(long epoch, Path eventsDir, SkipPositions skips, Path work, ExecutorService pool)
      throws IOException, InterruptedException {
    long started = System.currentTimeMillis();
    FileSystem fs = partials.fileSystem();
    FileStatus[] events = PartialRowsJob.eventsFiles(fs, master, epoch, eventsDir);
    Path out = new Path(work, DataLayout.epochDirectoryName(epoch));
    fs.mkdirs(new Path(out, PartialRowsJob.QUARANTINE));
    ConcurrentLinkedQueue<Worker> workers = new ConcurrentLinkedQueue<>();
    ThreadLocal<Worker> mine = new ThreadLocal<>();
    EpochCounts counts = new EpochCounts();
    Path quarantineFile = new Path(new Path(out, PartialRowsJob.QUARANTINE), QUARANTINE_FILE);
    long quarantined = 0;
    AggregationTable merged = null;
    long partialRows = 0;
    try (OutputStream quarantine = new java.io.BufferedOutputStream(fs.create(quarantineFile, false), 1 << 16)) {
      Semaphore inFlight = new Semaphore(threads * 2);
      java.util.ArrayDeque<Future<List<String>>> pending = new java.util.ArrayDeque<>();
      for (FileStatus f : events) {
        try (SequenceFile.Reader reader = new SequenceFile.Reader(conf, SequenceFile.Reader.file(f.getPath()))) {
          while (true) {
            BytesWritable chunk = new BytesWritable();
            if (!reader.next(NullWritable.get(), chunk)) {
              break;
            }
            inFlight.acquire();
            pending.add(pool.submit(() -> {
              try {
                Worker w = mine.get();
                if (w == null) {
                  w = new Worker(skips.copy());
                  mine.set(w);
                  workers.add(w);
                }
                return fold(w, chunk);
              } finally {
                inFlight.release();
              }
            }));
            while (!pending.isEmpty() && pending.peekFirst().isDone()) {
              quarantined += write(linesOf(pending.pollFirst()), quarantine);
            }
          }
        }
      }
      while (!pending.isEmpty()) {
        quarantined += write(linesOf(pending.pollFirst()), quarantine);
      }
      pool.shutdown();
      // Every fold is idle now: their counters (and the lines of any defect) are taken here.
      for (Worker w : workers) {
        w.lines = new ArrayList<>();
        w.fold.finish(conf).byEpoch().forEach((e, m) -> m.forEach((k, v) -> counts.add(e, k, v)));
        quarantined += write(w.lines, quarantine);
        AggregationTable t = w.fold.table();
        partialRows += t.size();
        if (merged == null) {
          merged = t;
        } else {
          for (Map.Entry<ViewKey, RowAggregate> row : t.rows().entrySet()) {
            merged.merge(row.getKey(), row.getValue());
          }
          t.clear();
        }
      }
    }
    if (quarantined == 0) {
      fs.delete(quarantineFile, false); // as the job, which writes a quarantine file only when it has a line
    }
    if (counts.byEpoch().keySet().stream().anyMatch(e -> e != epoch)) {
      throw new IOException("the events of epoch " + epoch + " hold records of epochs " + counts.byEpoch().keySet());
    }
    // The rows are written here, on the folding thread, while the caller may still be writing
    // the epoch's index; they are committed after it.
    long rows = writeRows(fs, merged, out);
    return new Folded(epoch, work, rows, counts, partialRows, started);
  }

  /** Commits a fold's rows with their checked counters; the epoch's index must be committed. */
  public Map<String, Long> commit(Folded folded, PrintStream log) throws IOException {
    long epoch = folded.epoch;
    long rows = folded.rows;
    EpochCounts counts = folded.counts;
    if (rows > 0) {
      // As the job's "rows its map tasks emitted": here the rows each core's table held before
      // they were merged. A diagnostic that depends on the grouping (the rows never do).
      counts.add(epoch, AggregateCounters.PARTIAL_ROWS, folded.partialRows);
      counts.add(epoch, AggregateCounters.VIEW_ROWS, rows);
    }
    Map<String, Long> checked = PartialRowsJob.checkAndCommit(conf, partials, folded.work, epoch,
        counts.byEpoch().getOrDefault(epoch, Map.of()), "computing the partial rows in process");
    log.printf("partial rows of epoch %d: %,d view rows from %,d events (%.1f s); aggregate will merge them%n",
        epoch, rows, checked.get(EpochCounts.key(AggregateCounters.EVENTS_AGGREGATED)),
        (System.currentTimeMillis() - folded.started) / 1000.0);
    return checked;
  }

  /** A chunk's quarantine lines once it is folded; a fold's failure as itself (a TableFull stays one). */
  private static List<String> linesOf(Future<List<String>> done) throws IOException, InterruptedException {
    try {
      return done.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IOException("folding a chunk failed: " + cause, cause);
    }
  }

  private static List<String> fold(Worker w, BytesWritable chunk) throws IOException, InterruptedException {
    List<String> lines = new ArrayList<>(0);
    w.lines = lines;
    EventChunks.forEach(chunk.getBytes(), 0, chunk.getLength(), (buf, off, len) -> {
      w.reader.read(buf, off, len);
      w.fold.add(w.reader);
    });
    return lines;
  }

  /** Quarantine lines as the job's text output writes them: one per line, UTF-8. */
  private static int write(List<String> lines, OutputStream out) throws IOException {
    for (String l : lines) {
      out.write(l.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    }
    return lines.size();
  }

  /** Writes the rows as the job's reducers do: part {@code p} of {@code reducers} by view key, each in key order. */
  private long writeRows(FileSystem fs, AggregationTable table, Path out) throws IOException {
    if (table == null || table.size() == 0) {
      return 0;
    }
    List<List<KeyedRow>> parts = new ArrayList<>();
    for (int p = 0; p < reducers; p++) {
      parts.add(new ArrayList<>());
    }
    for (Map.Entry<ViewKey, RowAggregate> row : table.rows().entrySet()) {
      byte[] key = ViewKeyCodec.encode(row.getKey());
      parts.get(EpochRowKey.part(key, 0, key.length, reducers)).add(new KeyedRow(key, row.getValue()));
    }
    return PerPart.sum(reducers, "lambda-rows-write", "writing " + out,
        p -> writePart(fs, parts.get(p), new Path(out, VersionMerge.partName(p))));
  }

  /** A row with its view key encoded. */
  private record KeyedRow(byte[] key, RowAggregate row) {}

  private static long writePart(FileSystem fs, List<KeyedRow> part, Path file) throws IOException {
    if (part.isEmpty()) {
      return 0; // as a reducer with no row: no file
    }
    part.sort((a, b) -> Arrays.compareUnsigned(a.key(), b.key()));
    try (ViewRowFile.Writer writer = new ViewRowFile.Writer(fs, file)) {
      for (KeyedRow r : part) {
        byte[] value = RowAggregateCodec.encode(r.row());
        writer.append(r.key(), r.key().length, value, value.length);
      }
    }
    return part.size();
  }
}
