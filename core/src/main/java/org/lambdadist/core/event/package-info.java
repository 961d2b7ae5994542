/**
 * The event contract: one JSON object per message or line, parsed with Jackson streaming into
 * an {@link org.lambdadist.core.event.Event}, or rejected with a reason code that the layers
 * route to a quarantine. Parsing never throws on any input bytes.
 */
package org.lambdadist.core.event;
