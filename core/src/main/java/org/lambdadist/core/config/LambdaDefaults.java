package org.lambdadist.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The defaults of every {@code lambda.*} setting, read from {@code lambda-default.xml} in this
 * jar: the only place a default is written. Hadoop's {@code Configuration} reads the same file
 * as a default resource; code without one (core's own rules) reads it here. Each property there
 * documents its key, so {@code lambda config} can print the effective value beside it.
 */
public final class LambdaDefaults {
  /** The resource holding every default, with its documentation. */
  public static final String RESOURCE = "lambda-default.xml";

  private static final Map<String, String> VALUES = new LinkedHashMap<>();
  private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

  static {
    try (InputStream in = LambdaDefaults.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath (it ships in lambda-core's jar)");
      }
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setExpandEntityReferences(false);
      Document doc = f.newDocumentBuilder().parse(in);
      NodeList properties = doc.getElementsByTagName("property");
      for (int i = 0; i < properties.getLength(); i++) {
        Element p = (Element) properties.item(i);
        String name = text(p, "name");
        VALUES.put(name, text(p, "value"));
        DESCRIPTIONS.put(name, text(p, "description").replaceAll("\\s+", " ").trim());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    } catch (ParserConfigurationException | SAXException e) {
      throw new IllegalStateException(RESOURCE + " is not valid XML: " + e.getMessage(), e);
    }
  }

  private LambdaDefaults() {}

  private static String text(Element parent, String tag) {
    NodeList n = parent.getElementsByTagName(tag);
    return n.getLength() == 0 ? "" : n.item(0).getTextContent().trim();
  }

  /** The default of a key; a key without one is a defect (every key is documented there). */
  public static String get(String key) {
    String v = VALUES.get(key);
    if (v == null) {
      throw new IllegalArgumentException("no default for setting " + key + " in " + RESOURCE);
    }
    return v;
  }

  /** Every documented key with its default, in the file's order. */
  public static Map<String, String> all() {
    return Collections.unmodifiableMap(VALUES);
  }

  /** The documentation of a key, one line; empty when it has none. */
  public static String description(String key) {
    return DESCRIPTIONS.getOrDefault(key, "");
  }
}
