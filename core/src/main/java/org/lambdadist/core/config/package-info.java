/**
 * The names and defaults of the product's {@code lambda.*} settings, shared by every layer.
 * The layers read them from Hadoop-style configuration ({@code lambda-default.xml}, then
 * {@code conf/lambda-site.xml}, then {@code -D key=value}).
 */
package org.lambdadist.core.config;
