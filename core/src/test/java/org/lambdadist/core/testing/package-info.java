/**
 * Test support shared with the other modules through core's test jar: the plain-collections
 * oracle that every engine's output is checked against.
 */
package org.lambdadist.core.testing;
