package org.lambdadist.speed;

/**
 * Where a task's dead letters go: the dead-letter topic ({@link DeadLetters}), or a list in tests.
 * Every send is written, or fails the task, by {@link #flush}.
 */
interface DeadLetterSink {
  /**
   * A rejected record, from its Kafka position; {@code value} null when the caller no longer
   * holds the bytes (the sink reads them again from Kafka).
   */
  void send(int partition, long offset, long timestampMillis, byte[] value, String reason, String message)
      throws Exception;

  /** Waits until every dead letter sent so far is written. */
  void flush() throws Exception;
}
