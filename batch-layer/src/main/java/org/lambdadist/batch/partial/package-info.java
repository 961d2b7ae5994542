/**
 * Per-epoch partial results, so a batch cycle costs what its new data costs: each committed
 * epoch's id index ({@link org.lambdadist.batch.partial.EpochIndexes}) and partial view rows
 * ({@link org.lambdadist.batch.partial.PartialRowsJob}) are computed once per
 * {@link org.lambdadist.batch.partial.PartialFingerprint}, and a batch version is their merge in
 * epoch order ({@link org.lambdadist.batch.partial.VersionMerge}).
 */
package org.lambdadist.batch.partial;
