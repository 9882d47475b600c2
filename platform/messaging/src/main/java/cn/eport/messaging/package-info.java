/**
 * How every service publishes and consumes: CloudEvents headers, a transactional outbox relayed
 * to Kafka after commit, an inbox that makes consumption idempotent, dead letters through the same
 * outbox, and the signatures that make an agency's verdict its own.
 *
 * <p>Services use {@link cn.eport.messaging.Outbox} to publish and
 * {@link cn.eport.messaging.EventConsumer} to consume; nothing else talks to Kafka directly.
 */
@NullMarked
package cn.eport.messaging;

import org.jspecify.annotations.NullMarked;
