/**
 * The operator console (DESIGN §16): static pages under {@code /console/} that drive the REST API
 * from a browser, and the browser sessions they sign in with. Start at {@link dev.tally.console.Console},
 * which wires everything; {@link dev.tally.console.SessionGate} is where a session turns into a
 * principal for the REST API, and where CSRF and the read-only rule for service users are enforced.
 */
package dev.tally.console;
