/**
 * Time buckets: UTC minute, hour and day, each the half-open interval {@code [start, start+size)}.
 */
package org.lambdadist.core.time;
