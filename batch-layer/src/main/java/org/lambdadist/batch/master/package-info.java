/**
 * The immutable master dataset: {@code <root>/master/epoch=<n>/}, one directory per arrival
 * epoch, each of block-compressed SequenceFiles of raw events with their arrival metadata, a
 * manifest and {@code _SUCCESS}, made visible by one atomic rename and never changed after.
 */
package org.lambdadist.batch.master;
