package org.lambdadist.batch.partial;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.SequenceFile;
import org.lambdadist.batch.master.ArrivedEventWritable;
import org.lambdadist.core.event.ParseResult;
import org.lambdadist.core.event.ProjectedEvents;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.storage.layout.MasterDataset;
import org.lambdadist.storage.layout.Partials;

/**
 * Builds the id index of committed epochs, in epoch order, so that exact dedup across epochs
 * never reads JSON again. An epoch's index holds the ids of its accepted events that no earlier
 * epoch holds ({@link IdIndexFile}) and the positions of its accepted records that are later
 * copies ({@link SkipFile}): of all copies of an id, the first arrival (epoch, partition,
 * offset) counts. Building it reads the epoch's records once, parsing with core's admission
 * rule on every core, and streams the hashes of every earlier epoch's ids: no JSON of an
 * earlier epoch is read. {@code import} and {@code archive} build it when they commit an epoch;
 * {@code aggregate} and {@code attribute} build whatever is missing on first use.
 *
 * <p>The same pass keeps what the rules decided about every record, in reading order, as
 * {@link ProjectedEvents} records in chunks of a batch each ({@link EventChunks};
 * {@code events-<n>.seq}, one per master file, compressed with {@code lambda.master.codec}): the
 * partial rows are computed from those, so each epoch's JSON is parsed once.
 *
 * <p>An index records the committed epochs before it that it was checked against; when that
 * list no longer matches the master dataset (an earlier epoch was committed after it: an
 * archive that failed and was rerun late) the index and the epoch's partial rows are rebuilt.
 */
public final class EpochIndexes {
  /** The metadata file of an index. */
  public static final String META = "_index.json";
  private static final int BATCH_RECORDS = 4096;
  private static final int BATCH_BYTES = 4 << 20;
  private static final int BATCH_START_BYTES = 64 * 1024;

  private final Configuration conf;
  private final EventRules rules;
  private final MasterDataset master;
  private final Partials partials;
  private final PrintStream log;
  private final int threads;

  public EpochIndexes(Configuration conf, EventRules rules, MasterDataset master, Partials partials, PrintStream log) {
    this.conf = conf;
    this.rules = rules;
    this.master = master;
    this.partials = partials;
    this.log = log;
    this.threads = Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /** Computes the partial rows of every epoch this builds an index for, alongside; null: none. */
  private PartialRowsInProcess rowsAlongside;

  /**
   * Has every index this builds from now on compute its epoch's partial rows too, in process
   * ({@link PartialRowsInProcess}), folded while the index files are written.
   */
  EpochIndexes withRowsInProcess(PartialRowsInProcess rows) {
    this.rowsAlongside = rows;
    return this;
  }

  /** The admission rule the indexes parse with. */
  EventRules rules() {
    return rules;
  }

  /** The set of partials the indexes belong to. */
  Partials partials() {
    return partials;
  }

  /** What building one index found. */
  public record Stats(long epoch, long records, long acceptedWithId, long newIds, long copiesInEpoch,
                      long copiesOfEarlier, long millis) {}

  /**
   * Makes sure every committed epoch up to {@code last} has a current index, building the
   * missing or stale ones in epoch order. Returns the epochs it built.
   */
  public List<Long> ensureThrough(long last) throws IOException {
    return ensureThrough(last, null);
  }

  /**
   * {@link #ensureThrough(long)}, with the records of {@code imported}'s epoch already parsed
   * while {@code import} copied them (its events files written): that epoch's index is built
   * from them instead of reading its master files again. {@code imported} is closed either way.
   */
  public List<Long> ensureThrough(long last, ImportedEpoch imported) throws IOException {
    try {
      return ensure(last, imported);
    } finally {
      if (imported != null) {
        imported.close();
      }
    }
  }

  private List<Long> ensure(long last, ImportedEpoch imported) throws IOException {
    List<Long> committed = master.committedEpochs();
    List<Long> built = new ArrayList<>();
    List<Long> earlier = new ArrayList<>();
    for (long e : committed) {
      if (e > last) {
        break;
      }
      boolean current = partials.hasIndex(e) && earlier.equals(recordedEarlier(e));
      if (!current) {
        if (partials.hasIndex(e) || partials.fileSystem().exists(partials.rowsDir(e))) {
          log.println("aggregate: the index of epoch " + e + " is stale (it was built before epochs " + earlier
              + " were all committed); rebuilding it and its partial rows");
          partials.discard(partials.epochDir(e));
        }
        Stats s = imported != null && imported.epoch == e ? imported.build(earlier) : build(e, earlier);
        log.printf("index of epoch %d: %,d records, %,d accepted with an id, %,d new ids, %,d later copies in the"
                + " epoch, %,d copies of earlier epochs (%.1f s)%n", s.epoch(), s.records(), s.acceptedWithId(),
            s.newIds(), s.copiesInEpoch(), s.copiesOfEarlier(), s.millis() / 1000.0);
        built.add(e);
      }
      earlier.add(e);
    }
    return built;
  }

  /** The number of master records the index of {@code epoch} read (its events files hold as many). */
  public static long recordsIndexed(Partials partials, long epoch) throws IOException {
    Path meta = new Path(partials.indexDir(epoch), META);
    try (java.io.InputStream in = partials.fileSystem().open(meta)) {
      return new ObjectMapper().readTree(in).path("records").asLong(-1);
    }
  }

  private List<Long> recordedEarlier(long epoch) throws IOException {
    Path meta = new Path(partials.indexDir(epoch), META);
    try (java.io.InputStream in = partials.fileSystem().open(meta)) {
      List<Long> list = new ArrayList<>();
      new ObjectMapper().readTree(in).path("earlier_epochs").forEach(n -> list.add(n.asLong()));
      return list;
    } catch (java.io.FileNotFoundException e) {
      return null;
    }
  }

  /** Builds one epoch's index, checked against the indexes of {@code earlier} (which must all exist). */
  Stats build(long epoch, List<Long> earlier) throws IOException {
    long started = System.currentTimeMillis();
    FileSystem fs = partials.fileSystem();
    Path tmp = new Path(partials.tmpDir(), "epoch=" + epoch + ".index." + UUID.randomUUID());
    fs.mkdirs(tmp);
    try {
      return build(epoch, earlier, tmp, started);
    } finally {
      fs.delete(tmp, true);
    }
  }

  private Stats build(long epoch, List<Long> earlier, Path tmp, long started) throws IOException {
    return index(epoch, earlier, tmp, started, collect(epoch, tmp));
  }

  /** Writes the index of the ids collected from an epoch's records (events files already in {@code tmp}) and commits it. */
  private Stats index(long epoch, List<Long> earlier, Path tmp, long started, CollectedIds ids) throws IOException {
    int n = ids.size;
    IndexOrder sorted = indexOrder(ids);
    int[] order = sorted.entries();
    long[] hashes = sorted.hashes();
    // The distinct ids in index order, each with its first position. The sorted hashes are read
    // in order; ids are compared only where two hashes are equal (a copy, or a rare collision).
    int distinct = 0;
    int[] groupStart = new int[n + 1];
    for (int i = 0; i < n; i++) {
      if (i == 0 || hashes[i] != hashes[i - 1] || ids.compareIds(order[i], order[i - 1]) != 0) {
        groupStart[distinct++] = i;
      }
    }
    groupStart[distinct] = n;
    long[] uniqueHashes = new long[distinct];
    int[] uniqueEntries = new int[distinct];
    for (int g = 0; g < distinct; g++) {
      uniqueHashes[g] = hashes[groupStart[g]];
      uniqueEntries[g] = order[groupStart[g]];
    }
    boolean[] held = new boolean[distinct];
    FileSystem fs = partials.fileSystem();
    for (long e : earlier) {
      markHeld(new Path(partials.indexDir(e), Partials.IDS_FILE), uniqueHashes, uniqueEntries, ids, held);
    }
    // Skip: every copy of an id an earlier epoch holds; of the others every copy but the first.
    int[] skipPartitions = new int[n - distinct + countTrue(held)];
    long[] skipOffsets = new long[skipPartitions.length];
    long[] newHashes = new long[distinct];
    int[] newEntries = new int[distinct];
    int skips = 0;
    int fresh = 0;
    long copiesOfEarlier = 0;
    for (int g = 0; g < distinct; g++) {
      int from = groupStart[g];
      if (held[g]) {
        copiesOfEarlier += groupStart[g + 1] - from;
      } else {
        newHashes[fresh] = uniqueHashes[g];
        newEntries[fresh++] = uniqueEntries[g];
        from++;
      }
      for (int i = from; i < groupStart[g + 1]; i++) {
        skipPartitions[skips] = ids.partitions[order[i]];
        skipOffsets[skips++] = ids.offsets[order[i]];
      }
    }
    sortPositions(skipPartitions, skipOffsets, skips);

    // The epoch's partial rows, when asked for, are folded from the events files in tmp while
    // the index files are written, and committed after the index (their check reads it).
    // Nothing about the rows may fail the index: a problem with them leaves them to aggregate.
    PartialRowsInProcess.Folding folding = null;
    if (rowsAlongside != null) {
      try {
        if (!partials.hasRows(epoch)) {
          folding = rowsAlongside.start(epoch, tmp, SkipPositions.of(conf, partials, epoch,
              new SkipPositions.EpochSkips(skipPartitions, skipOffsets)));
        }
      } catch (IOException | RuntimeException | OutOfMemoryError e) {
        PartialSet.rowsLeftToAggregate(epoch, e, log);
      }
    }
    try {
      IdIndexFile.write(fs, new Path(tmp, Partials.IDS_FILE), newHashes, ids.of(newEntries, fresh));
      SkipFile.write(fs, new Path(tmp, Partials.SKIP_FILE), skipPartitions, skipOffsets, skips);
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("epoch", epoch);
      meta.put("earlier_epochs", earlier);
      meta.put("records", ids.records);
      meta.put("accepted_with_id", (long) n);
      meta.put("new_ids", (long) fresh);
      meta.put("later_copies_in_epoch", (long) skips - copiesOfEarlier);
      meta.put("copies_of_earlier_epochs", copiesOfEarlier);
      try (OutputStream out = fs.create(new Path(tmp, META), false)) {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, meta);
      }
      fs.create(new Path(tmp, Partials.SUCCESS), false).close();
      PartialRowsInProcess.Folded folded = null;
      if (folding != null) {
        try {
          folded = folding.await();
        } catch (IOException | RuntimeException e) {
          PartialSet.rowsLeftToAggregate(epoch, e, log);
        }
      }
      fs.mkdirs(partials.epochDir(epoch));
      partials.commit(conf, tmp, partials.indexDir(epoch));
      if (folded != null) {
        try {
          rowsAlongside.commit(folded, log);
        } catch (IOException | RuntimeException e) {
          PartialSet.rowsLeftToAggregate(epoch, e, log);
        }
      }
    } finally {
      if (folding != null) {
        try {
          folding.cancel();
        } catch (IOException | RuntimeException e) {
          log.println("epoch " + epoch + ": cleaning up after its partial rows: " + e);
        }
      }
    }
    return new Stats(epoch, ids.records, n, fresh, skips - copiesOfEarlier, copiesOfEarlier,
        System.currentTimeMillis() - started);
  }

  /** The ids an earlier epoch holds: their first copies here are skipped too. */
  private static int countTrue(boolean[] held) {
    int count = 0;
    for (boolean h : held) {
      if (h) {
        count++;
      }
    }
    return count;
  }

  /**
   * Marks the distinct ids (sorted in index order: {@code hashes}, and their entries in
   * {@code ids}) that the index file {@code earlierIds} holds.
   */
  private void markHeld(Path earlierIds, long[] hashes, int[] entries, CollectedIds ids, boolean[] held)
      throws IOException {
    int n = hashes.length;
    if (n == 0) {
      return;
    }
    try (IdIndexFile.Reader r = new IdIndexFile.Reader(partials.fileSystem(), earlierIds)) {
      int i = 0;
      while (i < n && r.next()) {
        long h = r.hash();
        while (i < n && hashes[i] < h) {
          i++;
        }
        if (i < n && hashes[i] == h) {
          byte[] id = r.id();
          for (int j = i; j < n && hashes[j] == h; j++) {
            if (ids.idEquals(entries[j], id)) {
              held[j] = true;
            }
          }
        }
      }
    }
  }

  /** Entries in index order ({@link #indexOrder}) and their hashes in that order. */
  record IndexOrder(int[] entries, long[] hashes) {}

  /**
   * The entries' order by (hash, id bytes, partition, offset): an LSD radix sort on the hash
   * (four passes of 16 bits, stable), then each run of equal hashes (copies of one id, or rare
   * collisions) sorted by the rest.
   */
  static IndexOrder indexOrder(CollectedIds ids) {
    int n = ids.size;
    long[] keys = Arrays.copyOf(ids.hashes, n);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    long[] keyTmp = new long[n];
    int[] orderTmp = new int[n];
    int[] count = new int[1 << 16];
    for (int shift = 0; shift < 64; shift += 16) {
      Arrays.fill(count, 0);
      boolean top = shift == 48;
      for (int i = 0; i < n; i++) {
        count[digit(keys[i], shift, top)]++;
      }
      int sum = 0;
      for (int d = 0; d < count.length; d++) {
        int c = count[d];
        count[d] = sum;
        sum += c;
      }
      for (int i = 0; i < n; i++) {
        int at = count[digit(keys[i], shift, top)]++;
        keyTmp[at] = keys[i];
        orderTmp[at] = order[i];
      }
      long[] k = keys;
      keys = keyTmp;
      keyTmp = k;
      int[] o = order;
      order = orderTmp;
      orderTmp = o;
    }
    for (int i = 0; i < n; ) {
      int j = i + 1;
      while (j < n && keys[j] == keys[i]) {
        j++;
      }
      if (j - i > 1) {
        Integer[] run = new Integer[j - i];
        for (int r = 0; r < run.length; r++) {
          run[r] = order[i + r];
        }
        Arrays.sort(run, (a, b) -> {
          int c = ids.compareIds(a, b);
          if (c != 0) {
            return c;
          }
          c = Integer.compare(ids.partitions[a], ids.partitions[b]);
          return c != 0 ? c : Long.compare(ids.offsets[a], ids.offsets[b]);
        });
        for (int r = 0; r < run.length; r++) {
          order[i + r] = run[r];
        }
      }
      i = j;
    }
    return new IndexOrder(order, keys);
  }

  /** A 16-bit digit of a signed key, the top one with its sign flipped, so digits sort as the longs do. */
  private static int digit(long key, int shift, boolean top) {
    int d = (int) (key >>> shift) & 0xffff;
    return top ? d ^ 0x8000 : d;
  }

  private static void sortPositions(int[] partitions, long[] offsets, int n) {
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> partitions[a] != partitions[b] ? Integer.compare(partitions[a], partitions[b])
        : Long.compare(offsets[a], offsets[b]));
    int[] p = Arrays.copyOf(partitions, n);
    long[] o = Arrays.copyOf(offsets, n);
    for (int i = 0; i < n; i++) {
      partitions[i] = p[order[i]];
      offsets[i] = o[order[i]];
    }
  }

  /** A batch of records read in order, parsed by a worker. */
  private static final class Batch {
    byte[] bytes;

    /** A batch whose buffer starts at {@code capacity} bytes: the size the last one grew to, so it rarely grows again. */
    Batch(int capacity) {
      bytes = new byte[capacity];
    }
    int used;
    int count;
    int[] starts = new int[BATCH_RECORDS + 1];
    int[] partitions = new int[BATCH_RECORDS];
    long[] offsets = new long[BATCH_RECORDS];

    void add(int partition, long offset, byte[] record, int from, int length) {
      if (used + length > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + length));
      }
      System.arraycopy(record, from, bytes, used, length);
      starts[count] = used;
      partitions[count] = partition;
      offsets[count++] = offset;
      used += length;
      starts[count] = used;
    }

    boolean full() {
      return count == BATCH_RECORDS || used >= BATCH_BYTES;
    }

    /** Empties the batch for the next records, its buffer kept. */
    void clear() {
      used = 0;
      count = 0;
    }
  }

  /** What a worker made of one batch: the accepted ids and every record's decision, in order. */
  private static final class Parsed {
    final CollectedIds ids = new CollectedIds(BATCH_RECORDS);
    final ProjectedEvents.Buffer events = new ProjectedEvents.Buffer();
    int[] ends = new int[BATCH_RECORDS];
    int count;

    void endRecord() {
      if (count == ends.length) {
        ends = Arrays.copyOf(ends, count * 2);
      }
      ends[count++] = events.size();
    }
  }

  /**
   * Reads every record of the epoch once, parsing batches on every core; keeps accepted ids and
   * writes every record's decision to {@code events-<n>.seq} under {@code dir}.
   */
  private CollectedIds collect(long epoch, Path dir) throws IOException {
    try (Collector collector = new Collector(epoch, dir)) {
      ArrivedEventWritable record = new ArrivedEventWritable();
      for (Path file : master.dataFiles(epoch)) {
        collector.beginFile();
        try (SequenceFile.Reader reader = new SequenceFile.Reader(conf, SequenceFile.Reader.file(file))) {
          // Values are copied raw and decoded from an array: reading them field by field through
          // the decompressor cost this single reading thread more than a parsing worker.
          SequenceFile.ValueBytes raw = reader.createValueBytes();
          org.apache.hadoop.io.DataOutputBuffer key = new org.apache.hadoop.io.DataOutputBuffer();
          org.apache.hadoop.io.DataOutputBuffer value = new org.apache.hadoop.io.DataOutputBuffer();
          java.io.DataOutputStream valueOut = new java.io.DataOutputStream(value);
          while (true) {
            key.reset();
            if (reader.nextRaw(key, raw) < 0) {
              break;
            }
            value.reset();
            raw.writeUncompressedBytes(valueOut);
            record.readFrom(value.getData(), 0, value.getLength());
            if (record.epoch() != epoch) {
              throw new IOException(file + " holds a record of epoch " + record.epoch() + " in epoch " + epoch);
            }
            collector.add(record.partition(), record.offset(), record.rawBuffer(), 0, record.length());
          }
        }
        collector.endFile();
      }
      return collector.finish();
    }
  }

  /**
   * The records of one epoch, given in reading order, one master file after the other: batches
   * parsed on every core, every record's decision written to the file's {@code events-<n>.seq}
   * in reading order as soon as the oldest batch is done, the accepted ids kept.
   */
  private final class Collector implements java.io.Closeable {
    private final long epoch;
    private final Path dir;
    private final ExecutorService pool;
    private final Semaphore inFlight = new Semaphore(threads * 2);
    private final java.util.ArrayDeque<Future<Parsed>> results = new java.util.ArrayDeque<>();
    private final org.apache.hadoop.io.compress.CompressionCodec codec;
    private final CollectedIds out = new CollectedIds(1024);
    /** Batches their workers are done with, for the next records: a new 4 MB buffer per batch was most of what import allocated. */
    private final java.util.Queue<Batch> freeBatches = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private int fileIndex;
    private SequenceFile.Writer events;
    private Batch batch;

    Collector(long epoch, Path dir) {
      this.epoch = epoch;
      this.dir = dir;
      this.codec = MasterDataset.codec(conf);
      this.pool = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "lambda-index-" + epoch);
        t.setDaemon(true);
        return t;
      });
    }

    /** Starts the events file of the next master file. */
    void beginFile() throws IOException {
      if (events != null) {
        throw new IllegalStateException("the events file of the last master file is still open");
      }
      Path eventsFile = new Path(dir, String.format("%s%05d%s", Partials.EVENTS_PREFIX, fileIndex++, Partials.EVENTS_SUFFIX));
      events = SequenceFile.createWriter(conf, SequenceFile.Writer.file(eventsFile),
          SequenceFile.Writer.keyClass(NullWritable.class), SequenceFile.Writer.valueClass(BytesWritable.class),
          SequenceFile.Writer.compression(SequenceFile.CompressionType.BLOCK, codec));
      Batch free = freeBatches.poll();
      batch = free != null ? free : new Batch(BATCH_START_BYTES);
    }

    /** One record of the current master file, in reading order. */
    void add(int partition, long offset, byte[] bytes, int from, int length) throws IOException {
      out.records++;
      batch.add(partition, offset, bytes, from, length);
      if (batch.full()) {
        results.add(submit(batch));
        // A batch a worker is done with, else one sized as the last one ended: growing each
        // batch's buffer from 64 KB by doubling copied about 2 MB per batch on the reading
        // thread, which is the import's bottleneck.
        Batch free = freeBatches.poll();
        batch = free != null ? free : new Batch(Math.min(batch.bytes.length, BATCH_BYTES));
        // Batches are written in reading order as soon as the oldest is done.
        while (!results.isEmpty() && results.peekFirst().isDone()) {
          drain(results.pollFirst(), out, events);
        }
      }
    }

    /** Ends the current master file: its last batches parsed and written, its events file closed. */
    void endFile() throws IOException {
      if (batch.count > 0) {
        results.add(submit(batch));
      }
      batch = null;
      while (!results.isEmpty()) {
        drain(results.pollFirst(), out, events);
      }
      SequenceFile.Writer done = events;
      events = null;
      done.close();
    }

    CollectedIds finish() {
      if (events != null) {
        throw new IllegalStateException("the events file of the last master file is still open");
      }
      return out;
    }

    private Future<Parsed> submit(Batch b) throws IOException {
      try {
        return EpochIndexes.this.submit(pool, inFlight, b, freeBatches, epoch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while indexing epoch " + epoch);
      }
    }

    private void drain(Future<Parsed> done, CollectedIds into, SequenceFile.Writer writer) throws IOException {
      try {
        EpochIndexes.drain(done, into, writer);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while indexing epoch " + epoch);
      } catch (ExecutionException e) {
        throw new IOException("indexing epoch " + epoch + " failed: " + e.getCause(), e.getCause());
      }
    }

    @Override
    public void close() throws IOException {
      pool.shutdownNow();
      if (events != null) {
        SequenceFile.Writer open = events;
        events = null;
        open.close();
      }
    }
  }

  /**
   * An epoch {@code import} is writing, indexed as it goes: {@code import} hands each record it
   * copies to {@link #add}, parsed on the other cores while it copies, so the epoch's JSON is
   * read once and the index needs no second pass over its master files. Once the epoch is
   * committed, {@link EpochIndexes#ensureThrough(long, ImportedEpoch)} checks the collected ids
   * against the earlier epochs and commits the index. Until then nothing is visible: the events
   * files wait in a temporary directory of the partials, removed by {@link #close}.
   */
  public final class ImportedEpoch implements java.io.Closeable {
    private final long epoch;
    private final long started = System.currentTimeMillis();
    private final Path tmp;
    private final Collector collector;
    private Throwable failure;

    private ImportedEpoch(long epoch) throws IOException {
      this.epoch = epoch;
      this.tmp = new Path(partials.tmpDir(), "epoch=" + epoch + ".index." + UUID.randomUUID());
      partials.fileSystem().mkdirs(tmp);
      try {
        this.collector = new Collector(epoch, tmp);
      } catch (RuntimeException e) {
        partials.fileSystem().delete(tmp, true);
        throw e;
      }
    }

    /** The next master file ({@code part-<n>.seq}, in name order) begins. */
    public void beginFile() {
      guarded(collector::beginFile);
    }

    /** A record copied into the current master file, in its order (once per record: no lambda here). */
    public void add(int partition, long offset, byte[] bytes, int from, int length) {
      if (failure == null) {
        try {
          collector.add(partition, offset, bytes, from, length);
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
          fail(e);
        }
      }
    }

    /** The current master file is complete. */
    public void endFile() {
      guarded(collector::endFile);
    }

    private void guarded(CollectorStep step) {
      if (failure == null) {
        try {
          step.run();
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
          fail(e);
        }
      }
    }

    /**
     * Indexing must never fail the import itself: a failure stops the parsing here, and the
     * index is built from the committed master files instead (and says why).
     */
    private void fail(Throwable e) {
      failure = e;
      try {
        collector.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
    }

    /** The indexes this epoch is collected for. */
    public EpochIndexes indexes() {
      return EpochIndexes.this;
    }

    private Stats build(List<Long> earlier) throws IOException {
      if (failure != null) {
        log.println("index of epoch " + epoch + ": parsing while importing failed (" + failure
            + "); reading the committed master files instead");
        return EpochIndexes.this.build(epoch, earlier);
      }
      return index(epoch, earlier, tmp, started, collector.finish());
    }

    @Override
    public void close() throws IOException {
      try {
        collector.close();
      } finally {
        partials.fileSystem().delete(tmp, true);
      }
    }
  }

  /** One step of a collection that may fail. */
  private interface CollectorStep {
    void run() throws IOException;
  }

  /** Starts indexing epoch {@code epoch} while {@code import} writes it; see {@link ImportedEpoch}. */
  public ImportedEpoch importing(long epoch) throws IOException {
    return new ImportedEpoch(epoch);
  }

  private static void drain(Future<Parsed> done, CollectedIds out, SequenceFile.Writer events)
      throws IOException, InterruptedException, ExecutionException {
    Parsed part = done.get();
    out.append(part.ids);
    if (part.count > 0) {
      events.append(NullWritable.get(), EventChunks.chunk(part.events.bytes(), part.ends, part.count));
    }
  }

  private Future<Parsed> submit(ExecutorService pool, Semaphore inFlight, Batch batch, java.util.Queue<Batch> done,
                                long epoch) throws InterruptedException {
    inFlight.acquire();
    return pool.submit(() -> {
      try {
        Parsed part = new Parsed();
        for (int i = 0; i < batch.count; i++) {
          int from = batch.starts[i];
          int length = batch.starts[i + 1] - from;
          ParseResult r = rules.read(batch.bytes, from, length);
          if (r.isAccepted()) {
            if (rules.isAggregated(r.event())) {
              ProjectedEvents.writeAccepted(part.events, epoch, batch.partitions[i], batch.offsets[i], r.event());
            } else { // only counted (or skipped as a copy) by the partial rows
              ProjectedEvents.writeAcceptedWithoutFields(part.events, epoch, batch.partitions[i], batch.offsets[i],
                  r.event());
            }
            if (r.event().eventId() != null) {
              byte[] id = EventIds.bytes(r.event().eventId());
              part.ids.add(EventIds.hash(id), id, batch.partitions[i], batch.offsets[i]);
            }
          } else {
            ProjectedEvents.writeRejected(part.events, epoch, batch.partitions[i], batch.offsets[i], r.rejection(),
                batch.bytes, from, length);
          }
          part.endRecord();
        }
        return part;
      } finally {
        batch.clear();
        done.add(batch);
        inFlight.release();
      }
    });
  }
}
