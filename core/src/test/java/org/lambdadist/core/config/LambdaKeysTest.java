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

  @Test
  void everyKeyHasItsDefaultInTheOneResourceAndEveryDefaultAKey() throws Exception {
    java.util.Set<String> keys = new java.util.TreeSet<>();
    for (java.lang.reflect.Field f : LambdaKeys.class.getFields()) {
      if (f.getType() == String.class && java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
        String key = (String) f.get(null);
        if (key.startsWith("lambda.") && !key.endsWith(".")) {
          keys.add(key);
        }
      }
    }
    assertEquals(keys, new java.util.TreeSet<>(LambdaDefaults.all().keySet()));
    for (String key : keys) {
      org.junit.jupiter.api.Assertions.assertFalse(LambdaDefaults.description(key).isEmpty(), key + " is documented");
    }
    assertEquals("65536", LambdaDefaults.get(LambdaKeys.EVENT_MAX_BYTES));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> LambdaDefaults.get("lambda.nope"));
  }
}
