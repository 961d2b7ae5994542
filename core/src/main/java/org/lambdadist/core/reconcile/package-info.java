/**
 * Reconciliation of the speed layer with the batch that replaces it: the rules that compare a
 * realtime cell with the batch's partial row of the same view row and arrival epoch, and the
 * report they add up to (stored in meta, shown by {@code status}).
 */
package org.lambdadist.core.reconcile;
