/**
 * The HBase schema and stores: table names, the meta pointer to the served batch version (flipped
 * with check-and-mutate), and bounded reads of one key's time series.
 */
package org.lambdadist.serving.store;
