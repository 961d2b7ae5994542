/**
 * The HTTP JSON API of docs/api.md: {@link org.lambdadist.serving.http.ServingApi} routes
 * each path to one small endpoint class over the narrow read interface of
 * {@code org.lambdadist.serving.read}; Jetty in front ({@code ServingServer}). Every request is
 * bounded: validated before any read, one key's range only, a deadline on the store.
 */
package org.lambdadist.serving.http;
