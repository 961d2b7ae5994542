package org.lambdadist.speed;

import java.io.Serializable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.lambdadist.core.event.ParseResult;
import org.lambdadist.core.event.RejectReason;
import org.lambdadist.core.rules.EventRules;

/**
 * One Kafka record as the speed layer carries it between stages: where it arrived, its bytes,
 * and what reading it found (its event id, or why it is rejected).
 */
public final class Arrival implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final byte[] EMPTY = new byte[0];

  final int partition;
  final long offset;
  final long timestampMillis;
  final byte[] value;
  final String eventId;
  final String rejectReason;
  final String rejectMessage;
  final boolean duplicate;
  /** How many copies of the event this stands for in its micro-batch (all dropped if a duplicate). */
  final int copies;

  private Arrival(int partition, long offset, long timestampMillis, byte[] value, String eventId, String rejectReason,
                  String rejectMessage, boolean duplicate) {
    this(partition, offset, timestampMillis, value, eventId, rejectReason, rejectMessage, duplicate, 1);
  }

  private Arrival(int partition, long offset, long timestampMillis, byte[] value, String eventId, String rejectReason,
                  String rejectMessage, boolean duplicate, int copies) {
    this.copies = copies;
    this.partition = partition;
    this.offset = offset;
    this.timestampMillis = timestampMillis;
    this.value = value;
    this.eventId = eventId;
    this.rejectReason = rejectReason;
    this.rejectMessage = rejectMessage;
    this.duplicate = duplicate;
  }

  /**
   * Reads a record with core's admission rule (the rule the batch layer applies). Nothing a
   * record holds can throw out of here: should reading it fail all the same, it is rejected as
   * {@link RejectReason#UNPROCESSABLE}, a dead letter like any other reject.
   */
  static Arrival of(ConsumerRecord<byte[], byte[]> record, EventRules rules) {
    byte[] value = record.value() == null ? EMPTY : record.value();
    ParseResult r;
    try {
      r = rules.read(value, 0, value.length);
    } catch (RuntimeException | StackOverflowError e) {
      r = ParseResult.rejected(RejectReason.UNPROCESSABLE, RejectReason.describe(e));
    }
    if (!r.isAccepted()) {
      return new Arrival(record.partition(), record.offset(), record.timestamp(), value, null,
          r.rejection().reason().name(), r.rejection().message(), false);
    }
    return new Arrival(record.partition(), record.offset(), record.timestamp(), value, r.event().eventId(), null, null,
        false);
  }

  boolean accepted() {
    return rejectReason == null;
  }

  boolean hasEventId() {
    return accepted() && eventId != null;
  }

  Arrival asDuplicate() {
    return new Arrival(partition, offset, timestampMillis, value, eventId, null, null, true, copies);
  }

  /** The copies dropped because of this one: all when it is a duplicate, else all but itself. */
  int droppedCopies() {
    return duplicate ? copies : copies - 1;
  }

  /**
   * Of two copies of an event in one micro-batch, the one that arrived first (lowest
   * partition, then offset), standing for both: a deterministic choice, so a replayed batch
   * puts the event in the same epoch as the first run did.
   */
  static Arrival earlier(Arrival a, Arrival b) {
    Arrival first = a.partition != b.partition ? (a.partition < b.partition ? a : b) : (a.offset <= b.offset ? a : b);
    return new Arrival(first.partition, first.offset, first.timestampMillis, first.value, first.eventId, null, null,
        false, a.copies + b.copies);
  }

  boolean samePosition(long[] position) {
    return position[0] == partition && position[1] == offset;
  }

  long[] position() {
    return new long[] {partition, offset};
  }
}
