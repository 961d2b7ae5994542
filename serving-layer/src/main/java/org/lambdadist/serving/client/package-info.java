/** A Java client of the serving API, for front ends and tests. */
package org.lambdadist.serving.client;
