/**
 * A real Kafka broker in KRaft mode (broker and controller in one process, replication 1), the
 * event bus of a single machine: run as its own process by {@code scripts/start-kafka}, or
 * in-process by tests, from the same code so both are configured alike. Also the idempotent
 * creation of the product's topics.
 */
package org.lambdadist.kafka;
