/** {@code lambda config}: the effective settings, each with its default and where its value came from. */
package org.lambdadist.batch.config;
