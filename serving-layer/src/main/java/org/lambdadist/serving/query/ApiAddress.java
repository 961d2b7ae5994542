package org.lambdadist.serving.query;

import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.storage.UserError;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * Where {@code lambda query} finds the API: {@code --api}, else {@code lambda.serving.url},
 * else the address {@code lambda serve} listens on with the same settings
 * ({@code lambda.serving.host}, {@code lambda.serving.port}), so a query on the serving machine
 * needs no address at all.
 */
final class ApiAddress {
  private ApiAddress() {}

  /** The API's base URI: {@code given} (from {@code --api}) when not null, else from {@code conf}. */
  static URI of(String given, Configuration conf) throws UserError {
    if (given != null) {
      return parse("--api", given);
    }
    String url = LambdaSettings.get(conf, LambdaKeys.SERVING_URL).trim();
    if (!url.isEmpty()) {
      return parse(LambdaKeys.SERVING_URL, url);
    }
    return listening(LambdaSettings.get(conf, LambdaKeys.SERVING_HOST).trim(),
        LambdaSettings.get(conf, LambdaKeys.SERVING_PORT).trim());
  }

  /** The URI of a server listening on {@code host} (a wildcard: this machine) and {@code port}. */
  static URI listening(String host, String port) throws UserError {
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new UserError(LambdaKeys.SERVING_PORT + " is not a port: '" + port + "'", e);
    }
    if (p == 0) {
      throw new UserError(LambdaKeys.SERVING_PORT + " is 0 (any free port): give the API's address with --api URL"
          + " or " + LambdaKeys.SERVING_URL);
    }
    if (p < 0 || p > 65_535) {
      throw new UserError(LambdaKeys.SERVING_PORT + " is not a port: " + p);
    }
    String h = switch (host) {
      case "", "0.0.0.0", "::", "[::]", "::0" -> "127.0.0.1";
      default -> host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    };
    return parse(LambdaKeys.SERVING_HOST + " and " + LambdaKeys.SERVING_PORT, "http://" + h + ":" + p);
  }

  /** {@code text} as the API's base URI: http or https, a host, no path beyond {@code /}. */
  private static URI parse(String source, String text) throws UserError {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new UserError(source + " is not a URL: " + e.getMessage(), e);
    }
    if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null) {
      throw new UserError(source + " must be an http or https URL with a host, like http://localhost:8080, got '"
          + text + "'");
    }
    if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new UserError(source + " is the API's root, like http://localhost:8080, without a path: '" + text + "'");
    }
    return uri;
  }
}
