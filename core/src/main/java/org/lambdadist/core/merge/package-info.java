/**
 * The exact merge of the batch and speed layers' answers: batch (epochs ≤ E) ⊕ realtime cells
 * of epochs after E, with core's monoids.
 */
package org.lambdadist.core.merge;
