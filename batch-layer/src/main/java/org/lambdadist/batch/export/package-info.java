/** The {@code export} tool: one batch view's rows as JSON lines or CSV. */
package org.lambdadist.batch.export;
