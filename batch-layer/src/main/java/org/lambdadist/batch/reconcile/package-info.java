/**
 * {@code reconcile}: reads the speed layer's realtime cells and the batch's per-epoch partial
 * rows of the same epochs and hands them to core's {@code Reconciler}; the result goes to meta.
 */
package org.lambdadist.batch.reconcile;
