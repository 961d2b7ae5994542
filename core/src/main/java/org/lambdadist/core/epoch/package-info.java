/**
 * Arrival epochs: how the Kafka log is cut into the numbered slices the batch layer archives
 * and the speed layer keeps apart. Epoch n holds, per partition, offsets {@code [b(n-1), b(n))};
 * the boundaries are the only shared truth between the layers, so every rule about them
 * (which epoch an offset belongs to, when a boundary may be set, what a micro-batch's offsets
 * mean against what was already written) lives here, free of Kafka and HBase types.
 */
package org.lambdadist.core.epoch;
