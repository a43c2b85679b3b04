/** A Google Cloud Storage JSON-API emulator that keeps objects in a local folder. */
package emulator;
