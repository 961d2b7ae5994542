package org.lambdadist.speed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.streaming.kafka010.OffsetRange;
import org.apache.spark.util.LongAccumulator;
import org.lambdadist.core.dedup.EventFingerprint;
import org.lambdadist.core.epoch.EpochChain;
import org.lambdadist.core.event.ParseResult;
import org.lambdadist.core.event.ProjectedEvents;
import org.lambdadist.core.event.RejectReason;
import org.lambdadist.core.rules.EventRules;
import scala.Tuple2;

/**
 * A micro-batch's first stage, one task per Kafka offset range: reads the range with the
 * product's own reader ({@link RangeReaders}: Spark's DStream reader waits forever on a range
 * ending with a transaction marker; this one reads {@code read_committed}, so aborted records
 * never arrive, and keeps its consumer per partition between micro-batches), reads each record once with core's admission rule, sends the rejected ones to the dead
 * letters (counted per reason) and frames the accepted ones, parsed, by the dedup state partition
 * their id's fingerprint falls in ({@link AdmittedFrames}; events without an id are spread
 * evenly). Dead letters and counts come from this one pass: no other job reads the batch.
 */
final class AdmitFn implements PairFlatMapFunction<Iterator<OffsetRange>, Integer, byte[]> {
  private static final long serialVersionUID = 1L;
  private static final Duration POLL = Duration.ofMillis(500);
  /** Two minutes without a record while a range is unfinished: Kafka is away. */
  private static final int MAX_EMPTY_POLLS = 240;

  private final SpeedSettings settings;
  private final EpochChain chain;
  private final int partitions;
  private final RejectCounts rejected;
  private final LongAccumulator nanos;

  AdmitFn(SpeedSettings settings, EpochChain chain, int partitions, RejectCounts rejected, LongAccumulator nanos) {
    this.settings = settings;
    this.chain = chain;
    this.partitions = partitions;
    this.rejected = rejected;
    this.nanos = nanos;
  }

  @Override
  public Iterator<Tuple2<Integer, byte[]>> call(Iterator<OffsetRange> ranges) throws Exception {
    long began = System.nanoTime();
    Admission admission = new Admission(settings.rules(), chain, partitions, new DeadLetters(settings), rejected);
    while (ranges.hasNext()) {
      OffsetRange r = ranges.next();
      if (r.untilOffset() <= r.fromOffset()) {
        continue;
      }
      RangeReaders.Reader reader = RangeReaders.borrow(settings, r.topicPartition());
      boolean read = false;
      try {
        reader.read(r.fromOffset(), r.untilOffset(), POLL, MAX_EMPTY_POLLS, admission::admit);
        read = true;
      } finally {
        if (read) {
          RangeReaders.giveBack(reader);
        } else {
          reader.close(); // in an unknown state after a failure
        }
      }
    }
    List<Tuple2<Integer, byte[]>> out = admission.finish();
    nanos.add(System.nanoTime() - began);
    return out.iterator();
  }

  /** One task's admission: records in, dead letters out, accepted events framed per state partition. */
  static final class Admission {
    private static final byte[] EMPTY = new byte[0];
    private final EventRules rules;
    private final EpochChain chain;
    private final AdmittedFrames[] frames;
    private final DeadLetterSink deadLetters;
    private final RejectCounts rejected;
    private final ProjectedEvents.Buffer record = new ProjectedEvents.Buffer();
    private int withoutId;

    Admission(EventRules rules, EpochChain chain, int partitions, DeadLetterSink deadLetters, RejectCounts rejected) {
      this.rules = rules;
      this.chain = chain;
      this.frames = new AdmittedFrames[partitions];
      this.deadLetters = deadLetters;
      this.rejected = rejected;
    }

    /**
     * Reads one record with core's admission rule. Nothing a record holds can throw out of here:
     * should reading it fail all the same, it is rejected as {@link RejectReason#UNPROCESSABLE}.
     */
    void admit(ConsumerRecord<byte[], byte[]> r) throws Exception {
      byte[] value = r.value() == null ? EMPTY : r.value();
      ParseResult p;
      try {
        p = rules.read(value, 0, value.length);
        if (p.isAccepted()) {
          frame(r, p);
          return;
        }
      } catch (RuntimeException | StackOverflowError e) {
        p = ParseResult.rejected(RejectReason.UNPROCESSABLE, RejectReason.describe(e));
      }
      String reason = p.rejection().reason().name();
      deadLetters.send(r.partition(), r.offset(), r.timestamp(), value, reason, p.rejection().message());
      rejected.add(reason);
    }

    /** Frames an accepted event (its projected record) for its state partition; nothing is framed if it throws. */
    private void frame(ConsumerRecord<byte[], byte[]> r, ParseResult p) {
      record.clear();
      ProjectedEvents.writeAccepted(record, chain.epochOf(r.partition(), r.offset()), r.partition(), r.offset(),
          p.event());
      String id = p.event().eventId();
      if (id == null) {
        frame(withoutId++ % frames.length).add(false, 0, 0, r.partition(), r.offset(), record.bytes(), record.size());
      } else {
        long[] fp = EventFingerprint.of(id);
        frame(EventFingerprint.partitionOf(fp[0], frames.length))
            .add(true, fp[0], fp[1], r.partition(), r.offset(), record.bytes(), record.size());
      }
    }

    private AdmittedFrames frame(int partition) {
      if (frames[partition] == null) {
        frames[partition] = new AdmittedFrames();
      }
      return frames[partition];
    }

    /** Waits for the dead letters; the framed events per state partition. */
    List<Tuple2<Integer, byte[]>> finish() throws Exception {
      deadLetters.flush(); // a failed send fails the task, whose counts Spark then drops
      List<Tuple2<Integer, byte[]>> out = new ArrayList<>();
      for (int p = 0; p < frames.length; p++) {
        if (frames[p] != null && !frames[p].isEmpty()) {
          out.add(new Tuple2<>(p, frames[p].toByteArray()));
        }
      }
      return out;
    }
  }
}
