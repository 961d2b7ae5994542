/** Diagnostics for benchmarks: the parse-only baseline that {@code scripts/bench-batch} compares aggregate with. */
package org.lambdadist.batch.bench;
