/**
 * Marketing attribution as pure functions: a user's conversion paths, the six rule-based
 * models and the exact Markov removal-effect model. Every model splits each conversion into
 * credits that sum to exactly one conversion (and so to its revenue).
 */
package org.lambdadist.core.attribution;
