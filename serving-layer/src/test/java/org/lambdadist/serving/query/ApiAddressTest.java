package org.lambdadist.serving.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.lambdadist.storage.UserError;

/** Where a query looks for the API: --api, lambda.serving.url, else where lambda serve listens with the same settings. */
class ApiAddressTest {
  private static Configuration settings(String... keysAndValues) {
    Configuration conf = new Configuration(false);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      conf.set(keysAndValues[i], keysAndValues[i + 1]);
    }
    return conf;
  }

  @Test
  void theServeSettingsGiveTheAddressAWildcardHostMeaningThisMachine() throws Exception {
    assertEquals(URI.create("http://127.0.0.1:8080"), ApiAddress.of(null, settings()), "the documented defaults");
    assertEquals(URI.create("http://127.0.0.1:9090"), ApiAddress.of(null, settings("lambda.serving.host", "0.0.0.0",
        "lambda.serving.port", "9090")));
    assertEquals(URI.create("http://10.1.2.3:8080"), ApiAddress.of(null, settings("lambda.serving.host", "10.1.2.3")));
    assertEquals(URI.create("http://[fe80::1]:8080"), ApiAddress.of(null, settings("lambda.serving.host", "fe80::1")));
    assertEquals(URI.create("http://127.0.0.1:8080"), ApiAddress.of(null, settings("lambda.serving.host", "::")));
  }

  @Test
  void theUrlSettingAndThenTheOptionWin() throws Exception {
    Configuration conf = settings("lambda.serving.url", "https://api.example.com:8443", "lambda.serving.port", "9090");
    assertEquals(URI.create("https://api.example.com:8443"), ApiAddress.of(null, conf));
    assertEquals(URI.create("http://other:1234/"), ApiAddress.of("http://other:1234/", conf));
  }

  @Test
  void anAddressThatCannotBeTheApisIsRefused() {
    Object[][] cases = {
        {"ftp://h:1", settings(), "--api must be an http or https URL"},
        {"localhost:8080", settings(), "--api must be an http or https URL"},
        {"http://h:1/v1/views", settings(), "without a path"},
        {"http://h:1?x=1", settings(), "without a path"},
        {"http://h :1", settings(), "--api is not a URL"},
        {null, settings("lambda.serving.url", "h:1"), "lambda.serving.url must be"},
        {null, settings("lambda.serving.port", "0"), "give the API's address with --api"},
        {null, settings("lambda.serving.port", "http"), "lambda.serving.port is not a port"},
        {null, settings("lambda.serving.port", "70000"), "lambda.serving.port is not a port"},
    };
    for (Object[] c : cases) {
      UserError e = assertThrows(UserError.class, () -> ApiAddress.of((String) c[0], (Configuration) c[1]), c[2].toString());
      assertTrue(e.getMessage().contains((String) c[2]), e.getMessage());
    }
  }
}
