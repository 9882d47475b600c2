/**
 * The ops dashboard (联络员办公室): what the joint review is doing, read only from its Kafka topics.
 * A live funnel, each agency's outcomes, throughput, review queue and oldest pending check, the
 * dead letters of every consumer group, consumer lag, and any application's timeline by its id or
 * appointment slip. The read model lives in this service's own schema and is changed in the
 * transaction that records the consumed events' ids, so redelivery changes nothing. No personal ID
 * number is ever shown whole.
 */
@NullMarked
package cn.eport.dashboard;

import org.jspecify.annotations.NullMarked;
