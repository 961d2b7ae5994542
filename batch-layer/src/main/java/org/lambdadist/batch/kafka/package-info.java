/** Reading the Kafka log from batch tools: group-less consumers and the end offsets of a topic. */
package org.lambdadist.batch.kafka;
