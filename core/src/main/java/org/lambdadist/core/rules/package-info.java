/**
 * The admission rule shared by every layer: which records become events, given the view and
 * attribution definitions and the configured bounds, and why the others are rejected.
 */
package org.lambdadist.core.rules;
