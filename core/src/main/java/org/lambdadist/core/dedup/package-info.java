/**
 * The speed layer's dedup rule, free of Spark and Kafka: event ids as 128-bit fingerprints
 * ({@link org.lambdadist.core.dedup.EventFingerprint}), compact open-addressing sets of them
 * ({@link org.lambdadist.core.dedup.FingerprintTable}), the window of ids already counted, in
 * time buckets that expire whole ({@link org.lambdadist.core.dedup.DedupWindow}), and the choice
 * of a micro-batch's first copies against it ({@link org.lambdadist.core.dedup.FirstCopies}). The
 * state is primitive arrays, about 21 bytes per remembered id, so a ten-minute window at 50,000
 * events/s (30 million ids) fits a 2 GB heap; strings in Spark's state took several times that.
 */
package org.lambdadist.core.dedup;
