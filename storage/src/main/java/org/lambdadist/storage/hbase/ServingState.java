package org.lambdadist.storage.hbase;

/**
 * The meta state a lookup reads: the served batch pointer (null before the first load) and the
 * highest epoch the speed layer has marked as having realtime cells (−1: none).
 */
public record ServingState(BatchPointer pointer, long realtimeMaxEpoch) {
  /** True when realtime cells newer than the batch coverage may exist. */
  public boolean realtimeAfterBatch() {
    return realtimeMaxEpoch > (pointer == null ? -1 : pointer.lastEpoch());
  }
}
