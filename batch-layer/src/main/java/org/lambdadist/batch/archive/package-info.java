/**
 * The archiver: copies closed arrival epochs from Kafka into the master dataset with a
 * MapReduce job whose input splits are Kafka offset ranges, one per partition (the design of
 * LinkedIn's Camus), and closes an epoch itself when no speed layer is doing it.
 */
package org.lambdadist.batch.archive;
