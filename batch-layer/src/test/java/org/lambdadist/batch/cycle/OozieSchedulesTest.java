package org.lambdadist.batch.cycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.apache.commons.cli.ParseException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.GenericOptionsParser;
import org.junit.jupiter.api.Test;
import org.lambdadist.batch.LambdaBatchDriver;
import org.lambdadist.batch.LambdaTool;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The schedules shipped in {@code oozie/} and {@code scripts/cron/}: the workflow and the
 * coordinator are valid against Oozie's own schemas (from the {@code oozie-client} jar), every
 * action runs a tool the job jar has with options that tool accepts, every path of the
 * workflow ends, failures go through the lock's release to the kill node with the failing
 * step's message, every parameter is given a value, and the crontab is well formed.
 */
class OozieSchedulesTest {
  private static final Path HOME = Paths.get(System.getProperty("user.dir")).getParent();
  private static final Path OOZIE = HOME.resolve("oozie");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

  @Test
  void workflowAndCoordinatorAreValidAgainstOozieSchemas() throws Exception {
    validate(OOZIE.resolve("workflow.xml"), "oozie-workflow-1.0.xsd");
    validate(OOZIE.resolve("coordinator.xml"), "oozie-coordinator-0.5.xsd");
  }

  @Test
  void aBrokenWorkflowIsRefusedByTheSchema() throws Exception {
    String broken = Files.readString(OOZIE.resolve("workflow.xml"))
        .replaceFirst("<main-class>", "<main-klass>").replaceFirst("</main-class>", "</main-klass>");
    Path tmp = Files.createTempFile("workflow", ".xml");
    try {
      Files.writeString(tmp, broken);
      try {
        validate(tmp, "oozie-workflow-1.0.xsd");
        fail("a workflow with an unknown element must not validate");
      } catch (org.xml.sax.SAXException expected) {
        assertTrue(expected.getMessage().contains("main-klass"), expected.getMessage());
      }
    } finally {
      Files.delete(tmp);
    }
  }

  @Test
  void everyActionRunsAToolOfTheJobJarWithOptionsItAccepts() throws Exception {
    Document wf = parse(OOZIE.resolve("workflow.xml"));
    NodeList actions = wf.getElementsByTagName("action");
    assertTrue(actions.getLength() >= 6, "one action per step");
    Set<String> tools = new HashSet<>();
    for (int i = 0; i < actions.getLength(); i++) {
      Element action = (Element) actions.item(i);
      Element java = child(action, "java");
      assertNotNull(java, "action " + action.getAttribute("name") + " is a java action");
      String main = text(child(java, "main-class"));
      assertEquals(LambdaBatchDriver.class.getName(), main, "action " + action.getAttribute("name"));
      List<String> args = new ArrayList<>();
      for (Element arg : children(java, "arg")) {
        args.add(text(arg));
      }
      String tool = args.get(0);
      LambdaBatchDriver.ToolEntry entry = LambdaBatchDriver.tools().get(tool);
      assertNotNull(entry, "action " + action.getAttribute("name") + " names tool '" + tool + "', which the job jar lacks");
      tools.add(tool);
      String[] rest = new GenericOptionsParser(new Configuration(false), args.subList(1, args.size()).toArray(new String[0]))
          .getRemainingArgs();
      LambdaTool instance = entry.type().getDeclaredConstructor().newInstance();
      try {
        instance.parse(rest);
      } catch (ParseException e) {
        fail("action " + action.getAttribute("name") + ": tool " + tool + " refuses " + List.of(rest) + ": " + e.getMessage());
      }
    }
    assertTrue(tools.containsAll(List.of("archive", "aggregate", "attribute", "load", "cycle")), tools.toString());
  }

  @Test
  void everyPathEndsAndEveryFailureReleasesTheLockAndKillsWithTheStepsMessage() throws Exception {
    Document wf = parse(OOZIE.resolve("workflow.xml"));
    Element root = wf.getDocumentElement();
    Map<String, List<String>> next = new LinkedHashMap<>();
    Map<String, String> kind = new HashMap<>();
    String start = null;
    for (Element node : elements(root)) {
      String name = node.getAttribute("name");
      switch (node.getTagName()) {
        case "start" -> start = node.getAttribute("to");
        case "action" -> {
          kind.put(name, "action");
          String ok = child(node, "ok").getAttribute("to");
          String error = child(node, "error").getAttribute("to");
          next.put(name, List.of(ok, error));
          boolean releasesLock = name.startsWith("unlock") || name.equals("lock");
          if (name.equals("reconcile")) {
            // Informational, after the flip: its failure is recorded in meta and the run goes on.
            assertEquals(List.of("unlock", "unlock"), List.of(ok, error), "reconcile never fails the run");
          } else if (!releasesLock) {
            assertEquals("unlock-after-failure", error, "a failed " + name + " must release the lock first");
            assertFalse(node.getAttribute("retry-max").isEmpty(), name + " retries");
          } else {
            assertEquals("fail", error, name);
          }
        }
        case "decision" -> {
          kind.put(name, "decision");
          List<String> targets = new ArrayList<>();
          Element sw = child(node, "switch");
          for (Element c : elements(sw)) {
            targets.add(c.getAttribute("to"));
          }
          next.put(name, targets);
        }
        case "kill" -> {
          kind.put(name, "kill");
          next.put(name, List.of());
          String message = text(child(node, "message"));
          assertTrue(message.contains("${wf:errorMessage(wf:lastErrorNode())}") && message.contains("${wf:lastErrorNode()}"),
              "the kill message names the failing step and its message: " + message);
        }
        case "end" -> {
          kind.put(name, "end");
          next.put(name, List.of());
        }
        default -> { }
      }
    }
    assertEquals("lock", start);
    assertEquals(List.of("fail", "fail"), next.get("unlock-after-failure"));
    // Every target exists, every node is reachable, and from every node an end or kill is reachable.
    Set<String> reached = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(start));
    while (!todo.isEmpty()) {
      String n = todo.pop();
      assertTrue(next.containsKey(n), "transition to a missing node " + n);
      if (reached.add(n)) {
        todo.addAll(next.get(n));
      }
    }
    assertEquals(next.keySet(), reached, "unreachable nodes");
    assertEquals(List.of("aggregate", "unlock"), next.get("anything-new"));
    // The happy path goes through every step, in order.
    List<String> happy = new ArrayList<>();
    String n = start;
    while (!kind.get(n).equals("end")) {
      happy.add(n);
      n = next.get(n).get(0);
    }
    assertEquals(List.of("lock", "archive", "check", "anything-new", "aggregate", "with-attribution", "attribute", "load",
        "reconcile", "unlock"), happy);
  }

  @Test
  void everyParameterHasAValue() throws Exception {
    Properties job = new Properties();
    try (Reader r = Files.newBufferedReader(OOZIE.resolve("job.properties"), StandardCharsets.UTF_8)) {
      job.load(r);
    }
    for (String file : List.of("workflow.xml", "coordinator.xml")) {
      Document doc = parse(OOZIE.resolve(file));
      Set<String> withDefault = new HashSet<>();
      NodeList params = doc.getElementsByTagName("parameters");
      if (params.getLength() == 1) {
        for (Element p : children((Element) params.item(0), "property")) {
          if (child(p, "value") != null) {
            withDefault.add(text(child(p, "name")));
          }
          assertNotNull(child(p, "description"), file + ": parameter " + text(child(p, "name")) + " is documented");
        }
      }
      Matcher m = VARIABLE.matcher(Files.readString(OOZIE.resolve(file)));
      while (m.find()) {
        String expr = m.group(1);
        if (expr.contains(":") || expr.contains("(")) {
          continue; // an EL function (wf:, coord:) that Oozie evaluates
        }
        assertTrue(job.containsKey(expr) || withDefault.contains(expr), file + ": ${" + expr + "} has no value in job.properties");
      }
    }
    for (String key : List.of("nameNode", "resourceManager", "lambdaRoot", "viewsFile", "frequency", "start",
        "oozie.coord.application.path", "workflowPath")) {
      assertTrue(job.containsKey(key), "job.properties sets " + key);
    }
    assertEquals("60", job.getProperty("frequency"), "hourly by default");
    Document coord = parse(OOZIE.resolve("coordinator.xml"));
    Element dataset = (Element) coord.getElementsByTagName("dataset").item(0);
    assertEquals("_SUCCESS", text(child(dataset, "done-flag")));
    assertTrue(text(child(dataset, "uri-template")).startsWith("${lambdaRoot}/master"));
  }

  @Test
  void theCrontabIsWellFormedAndRunsTheWrapper() throws IOException {
    Path cron = HOME.resolve("scripts/cron");
    String crontab = Files.readString(cron.resolve("crontab"));
    assertTrue(crontab.endsWith("\n"), "cron ignores a last line without a newline");
    int jobs = 0;
    for (String line : crontab.split("\n")) {
      String l = line.trim();
      if (l.isEmpty() || l.startsWith("#") || l.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
        continue;
      }
      String[] fields = l.split("\\s+", 6);
      assertEquals(6, fields.length, "five time fields and a command: " + l);
      for (int i = 0; i < 5; i++) {
        assertTrue(fields[i].matches("[0-9*/,\\-]+"), "time field '" + fields[i] + "' in " + l);
      }
      assertTrue(fields[5].contains("scripts/cron/lambda-cycle"), l);
      jobs++;
    }
    assertEquals(1, jobs, "one cycle line");
    Path wrapper = cron.resolve("lambda-cycle");
    assertTrue(Files.isExecutable(wrapper), wrapper + " is executable");
    String script = Files.readString(wrapper);
    assertTrue(script.contains("flock") && script.contains("cycle"), "the wrapper runs cycle under flock");
  }

  private static void validate(Path xml, String xsd) throws Exception {
    URL schemaUrl = OozieSchedulesTest.class.getClassLoader().getResource(xsd);
    assertNotNull(schemaUrl, xsd + " on the test classpath (oozie-client jar)");
    SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
    Schema schema = factory.newSchema(schemaUrl);
    try (InputStream in = Files.newInputStream(xml)) {
      schema.newValidator().validate(new StreamSource(in, xml.toUri().toString()));
    }
  }

  private static Document parse(Path xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(xml.toFile());
  }

  private static List<Element> elements(Element parent) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        out.add(e);
      }
    }
    return out;
  }

  private static List<Element> children(Element parent, String tag) {
    return elements(parent).stream().filter(e -> e.getLocalName().equals(tag)).toList();
  }

  private static Element child(Element parent, String tag) {
    List<Element> c = children(parent, tag);
    return c.isEmpty() ? null : c.get(0);
  }

  private static String text(Element e) {
    return e.getTextContent().trim();
  }
}
