/**
 * A small Camel component, {@code redis-stream:<key>?group=…&maxInFlight=…}, that consumes a Redis Stream through a
 * consumer group with bounded work in flight, heartbeats, reclaiming and hand-back on stop. It knows nothing of
 * Panel One's jobs.
 */
package redisstream;
