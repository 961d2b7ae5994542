/**
 * {@code lambda query}: key lookups, the views and attribution from the command line, through
 * the running API and its Java client, printed as the API's JSON or as aligned text tables.
 */
package org.lambdadist.serving.query;
