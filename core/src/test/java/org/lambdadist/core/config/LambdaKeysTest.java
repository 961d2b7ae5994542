package org.lambdadist.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LambdaKeysTest {
  @Test
  void kafkaClientSettingsAreThePrefixedKeysWithoutThePrefix() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("lambda.kafka.client.security.protocol", "SASL_PLAINTEXT");
    settings.put("lambda.kafka.client.sasl.kerberos.service.name", "kafka");
    settings.put("lambda.kafka.client.", "ignored: no key after the prefix");
    settings.put("lambda.kafka.bootstrap", "broker:9092");
    settings.put("security.protocol", "not ours");
    assertEquals(Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.kerberos.service.name", "kafka"),
        LambdaKeys.kafkaClientSettings(settings.entrySet()));
    assertEquals(Map.of(), LambdaKeys.kafkaClientSettings(Map.<String, String>of().entrySet()));
  }
}
