/**
 * The HBase schema and every store: meta (the served batch version's pointer, flipped with
 * check-and-mutate; the epoch chain; the speed layer's ledger; the cycle lock; the last cycle's
 * report), the realtime cells, the batch view tables and the attribution table, with bounded
 * reads of one key's time series. {@code docs/meta-table.md} lists the meta rows and who writes
 * each.
 */
package org.lambdadist.storage.hbase;
