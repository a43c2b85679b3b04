/**
 * Who is asking and how much they may do (docs/API.md, "Clients, history and limits"): bearer tokens and API keys,
 * the client's address behind Cloud Run's front end, and the per-client and per-day job limits kept in Redis.
 */
package access;
