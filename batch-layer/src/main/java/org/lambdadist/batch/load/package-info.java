/**
 * The serving side of the batch cycle: {@code create-tables}, {@code load} (a batch view as
 * HFiles into a new version table, bulk-loaded, then the meta pointer flipped) and
 * {@code rollback}.
 */
package org.lambdadist.batch.load;
