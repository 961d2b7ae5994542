/**
 * The HTTP JSON API of ARCHITECTURE.md on Jetty (the 9.4 line Hadoop already brings), with
 * every request bounded: validated before any read, one key's range only, a timeout on HBase.
 */
package org.lambdadist.serving.http;
