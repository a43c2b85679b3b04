/** Command-line tools; the only code that prints to stdout. */
package cli;
