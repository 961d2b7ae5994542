/**
 * The batch layer's command-line tools, each a Hadoop {@code Tool} registered by name in
 * {@link org.lambdadist.batch.LambdaBatchDriver}, run as {@code hadoop jar batch-layer-job.jar
 * <tool> …} or {@code scripts/lambda batch <tool> …}.
 */
package org.lambdadist.batch;
