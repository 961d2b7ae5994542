/**
 * The API's metrics: Micrometer meters published in Prometheus' text format at
 * {@code GET /metrics} (and over JMX), for the requests the API answers, its reads of HBase and
 * its cache, and the stack's state as meta records it (versions, epochs, the speed layer, the
 * batch cycle).
 */
package org.lambdadist.serving.metrics;
