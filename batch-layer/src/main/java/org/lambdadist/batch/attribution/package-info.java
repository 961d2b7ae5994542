/**
 * The {@code attribute} tool: each user's touches and conversions reach one reducer in (time,
 * event id) order (a secondary sort), are cut into conversion paths by core's
 * {@code UserJourney}, and are credited under every model, Markov's removal effects fitted in
 * between from the summed transition counts of all paths.
 */
package org.lambdadist.batch.attribution;
