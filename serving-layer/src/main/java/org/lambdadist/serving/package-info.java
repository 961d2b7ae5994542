/**
 * The serving layer: the HBase schema shared with the writers, the stores that read a key's
 * batch rows and realtime cells and merge them with core's {@code ViewMerge}, the HTTP JSON
 * API and its Java client.
 */
package org.lambdadist.serving;
