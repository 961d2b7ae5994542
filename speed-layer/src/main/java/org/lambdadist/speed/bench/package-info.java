/** The speed layer's benchmark: sustained throughput and produce-to-lookup latency. */
package org.lambdadist.speed.bench;
