package org.lambdadist.core.epoch;

/**
 * What the speed layer has written, as stored next to its output: the last micro-batch whose
 * output is complete ({@code committed}) and the one being written ({@code pending}), each
 * with its sequence number and offset range. Every realtime cell remembers the sequence number
 * of the last micro-batch merged into it, so a micro-batch run again after a crash (Spark
 * replays unfinished batches from its checkpoint with the same offset ranges) merges only into
 * the cells it had not reached: exactly once without transactions. {@code pending} is null
 * once its batch is committed.
 */
public record MicroBatchLedger(Batch committed, Batch pending) {

  /** A micro-batch: sequence number and offsets {@code [from, until)} per partition. */
  public record Batch(long sequence, PartitionOffsets from, PartitionOffsets until) {
    boolean sameRange(PartitionOffsets f, PartitionOffsets u) {
      return from.equals(f) && until.equals(u);
    }
  }

  /** How a micro-batch relates to the ledger. */
  public enum Kind {
    /** The next batch: write it under a new sequence number. */
    NEW,
    /** The batch that was being written: write it again under its sequence number. */
    RESUMED,
    /** A batch at or before the committed one: its output is complete; nothing to write. */
    DONE
  }

  /** The decision for one micro-batch. */
  public record Decision(Kind kind, long sequence) {}

  public static MicroBatchLedger empty() {
    return new MicroBatchLedger(null, null);
  }

  /**
   * Places the micro-batch {@code [from, until)}. A batch neither next, pending nor committed
   * means the checkpoint and the stored offsets disagree (a checkpoint from another run, or
   * offsets rewound by hand): writing would lose or double count, so it is refused.
   */
  public Decision place(PartitionOffsets from, PartitionOffsets until) {
    if (pending != null && pending.sameRange(from, until)) {
      return new Decision(Kind.RESUMED, pending.sequence());
    }
    if (committed != null && committed.until().atOrAfter(until) && committed.until().atOrAfter(from)) {
      // Written and committed: batches are committed in offset order, so everything before the
      // committed end is complete (Spark re-runs batches whose completion its checkpoint missed).
      return new Decision(Kind.DONE, committed.sequence());
    }
    if (pending != null) {
      throw new IllegalStateException("micro-batch " + pending.sequence() + " (" + pending.from() + " .. "
          + pending.until() + ") is unfinished and must be written again before micro-batch " + from + " .. " + until);
    }
    if (committed == null || from.equals(committed.until())) {
      return new Decision(Kind.NEW, committed == null ? 1 : committed.sequence() + 1);
    }
    throw new IllegalStateException("micro-batch " + from + " .. " + until + " does not follow the speed layer's stored"
        + " offsets " + committed.until() + "; the checkpoint belongs to another run or the offsets were changed:"
        + " remove the checkpoint directory to resume from the stored offsets");
  }

}
