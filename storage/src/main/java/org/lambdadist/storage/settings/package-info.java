/**
 * The one settings bootstrap of every entry point (batch tools, the API, the speed layer, the
 * benches): defaults from {@code lambda-default.xml}, the site files of the configuration
 * directory, {@code -D} on top; the one lookup of the views file; {@code lambda config}.
 */
package org.lambdadist.storage.settings;
