/**
 * The container images' AOT training run: real jobs through the public API on redis-server and the emulators. Only in
 * the full jar; the images run it from the build stage's jar and carry only the cache it trains.
 */
package aot;
