/**
 * The benchmark ({@code bench/run.sh}): starts Redis, the two emulators and the real API and worker processes, drives
 * them only through HTTP and WebSocket, and writes {@code BENCHMARKS.md} and {@code bench/results.json}.
 */
package bench;
