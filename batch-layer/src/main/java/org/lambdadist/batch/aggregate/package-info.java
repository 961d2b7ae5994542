/**
 * The {@code aggregate} tool and the view row files: a batch version is the merge, in epoch
 * order, of per-epoch partial rows ({@link org.lambdadist.batch.partial}), written as sorted
 * {@link org.lambdadist.batch.aggregate.ViewRowFile}s. Mappers, combiners and reducers only
 * adapt {@code core}.
 */
package org.lambdadist.batch.aggregate;
