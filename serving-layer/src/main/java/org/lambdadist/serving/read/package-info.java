/**
 * The narrow read interface the API's endpoints use ({@link ServingReads}), and its HBase
 * implementation: connection, bounded pool, timeouts and the background meta reread live here,
 * so endpoints are plain functions tested against an in-memory implementation.
 */
package org.lambdadist.serving.read;
