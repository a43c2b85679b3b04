/** SDK clients built once and shared: Cloud Storage (real or emulator). */
package clients;
