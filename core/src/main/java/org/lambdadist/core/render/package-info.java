/**
 * The external shape of view rows: the JSON line and CSV formats of {@code export}, which the
 * serving layer's answers share.
 */
package org.lambdadist.core.render;
