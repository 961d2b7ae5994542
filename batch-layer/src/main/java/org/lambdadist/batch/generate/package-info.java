/** The {@code generate} tool: writes core's seeded clickstream as JSON lines. */
package org.lambdadist.batch.generate;
