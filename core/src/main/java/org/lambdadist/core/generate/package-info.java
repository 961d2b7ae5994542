/**
 * Seeded synthetic event streams for tests, demos and benchmarks: the same seed gives the same
 * lines on every machine.
 */
package org.lambdadist.core.generate;
