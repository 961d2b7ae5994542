/**
 * Every rule of the Lambda analytics distribution in plain Java: event parsing, view
 * definitions, time buckets, aggregation monoids, byte codecs and rendering. The batch, speed
 * and serving layers only adapt these classes, so the same events give the same answer on
 * every path.
 */
package org.lambdadist.core;
