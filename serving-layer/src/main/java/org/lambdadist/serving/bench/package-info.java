/** The serving benchmark: API lookups against raw HBase scans of the same rows, same run. */
package org.lambdadist.serving.bench;
