/**
 * Versioned byte codecs for view keys and row aggregates. The same bytes are MapReduce keys
 * and values, batch view files and, later, HBase row keys and cells, so every layer reads what
 * any other wrote.
 */
package org.lambdadist.core.codec;
