package org.lambdadist.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.batch.attribution.AttributeTool;
import org.lambdadist.core.attribution.AttributionConfig;
import org.lambdadist.core.attribution.AttributionModel;
import org.lambdadist.core.attribution.ConversionPath;
import org.lambdadist.core.attribution.Credit;
import org.lambdadist.core.attribution.MarkovModel;
import org.lambdadist.core.attribution.Touch;
import org.lambdadist.core.attribution.UserJourney;
import org.lambdadist.core.event.Event;
import org.lambdadist.core.event.EventLimits;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.view.MetricType;
import org.lambdadist.core.event.FieldValues;
import org.lambdadist.core.event.ParseResult;
import org.lambdadist.core.generate.ClickstreamGenerator;
import org.lambdadist.core.testing.ClickstreamViews;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * The attribution oracle test: generated events → import → aggregate → attribute → export
 * equals an in-memory computation over the same events (first arrival of each id, users'
 * journeys, Markov fitted on all paths) for every model; and every model's credits sum to the
 * conversions and revenue.
 */
class AttributionOracleIT {
  @Test
  void everyModelEqualsTheInMemoryComputation(@TempDir java.nio.file.Path tmp) throws Exception {
    Configuration conf = LambdaSettings.create();
    conf.set("fs.defaultFS", "file:///");
    conf.set("lambda.root", new Path(tmp.resolve("root").toUri()).toString());
    conf.set("lambda.views.file", ClickstreamViews.confDir().resolve("views.json").toString());
    BatchHarness batch = new BatchHarness(conf);
    List<String> lines = new ArrayList<>();
    new ClickstreamGenerator(ClickstreamGenerator.Settings.defaults(30_000, 41)).forEachRemaining(lines::add);
    Path input = new Path(tmp.resolve("in.jsonl").toUri());
    batch.write(input, lines.iterator());
    assertEquals(0, batch.importFiles(input.toString()).exitCode());
    assertEquals(0, batch.aggregate().exitCode());
    BatchHarness.Run r = batch.run(new AttributeTool());
    assertEquals(0, r.exitCode(), r.err());

    // The oracle: the same rules, computed over plain collections.
    AttributionConfig config = ClickstreamViews.catalog().attribution();
    EventRules rules = EventRules.of(ClickstreamViews.catalog(), EventLimits.defaults());
    Set<String> ids = new HashSet<>();
    Map<String, List<Touch>> touches = new HashMap<>();
    Map<String, List<UserJourney.ConversionEvent>> conversions = new HashMap<>();
    for (String line : lines) {
      ParseResult p = rules.read(line.getBytes(StandardCharsets.UTF_8));
      if (!p.isAccepted() || (p.event().eventId() != null && !ids.add(p.event().eventId()))) {
        continue;
      }
      Event e = p.event();
      String user = FieldValues.canonical(e.field(config.userField()));
      if (user == null) {
        continue;
      }
      if (config.conversionFilter().matches(e)) {
        Object v = e.field(config.revenueField());
        BigDecimal d = v == null || !rules.isMetricValue(MetricType.SUM, v) ? null : FieldValues.decimal(v);
        conversions.computeIfAbsent(user, k -> new ArrayList<>())
            .add(new UserJourney.ConversionEvent(e.timestampMillis(), e.eventId(), d == null ? 0 : d.doubleValue()));
      } else if (config.touchFilter().matches(e)) {
        touches.computeIfAbsent(user, k -> new ArrayList<>()).add(new Touch(e.timestampMillis(), e.eventId(),
            FieldValues.canonical(e.field(config.channelField())), FieldValues.canonical(e.field(config.campaignField()))));
      }
    }
    List<ConversionPath> paths = new ArrayList<>();
    MarkovModel.Transitions transitions = new MarkovModel.Transitions();
    Set<String> users = new HashSet<>(touches.keySet());
    users.addAll(conversions.keySet());
    for (String u : users) {
      UserJourney.Paths p = UserJourney.paths(touches.getOrDefault(u, List.of()), conversions.getOrDefault(u, List.of()),
          config.settings());
      paths.addAll(p.converting());
      p.converting().forEach(c -> transitions.addPath(c.touches().stream().map(Touch::channel).toList(), true));
      transitions.addPath(p.nonConverting().stream().map(Touch::channel).toList(), false);
    }
    MarkovModel markov = MarkovModel.fit(transitions);
    double totalRevenue = paths.stream().mapToDouble(ConversionPath::revenue).sum();
    assertTrue(paths.size() > 100, "conversions: " + paths.size());

    ObjectMapper json = new ObjectMapper();
    for (AttributionModel model : AttributionModel.values()) {
      Map<String, double[]> expected = new TreeMap<>();
      for (ConversionPath p : paths) {
        String day = Instant.ofEpochMilli(p.timestampMillis()).atZone(ZoneOffset.UTC).toLocalDate().toString();
        for (Credit c : model.credit(p, config.settings(), markov)) {
          double[] s = expected.computeIfAbsent(day + "|" + c.channel() + "|" + c.campaign(), k -> new double[2]);
          s[0] += c.weight();
          s[1] += c.weight() * p.revenue();
        }
      }
      Path out = new Path(tmp.resolve(model.label() + ".jsonl").toUri());
      BatchHarness.Run e = batch.export("--attribution", model.label(), "--output", out.toString());
      assertEquals(0, e.exitCode(), e.err());
      List<String> exported = batch.readLines(out);
      assertEquals(expected.size(), exported.size(), model.label());
      double conversionsSum = 0;
      double revenueSum = 0;
      for (String line : exported) {
        JsonNode n = json.readTree(line);
        assertEquals(List.of("model", "day", "channel", "campaign", "conversions", "revenue"),
            iterable(n.fieldNames()), line);
        String id = n.get("day").asText() + "|" + n.get("channel").asText() + "|"
            + (n.get("campaign").isNull() ? null : n.get("campaign").asText());
        double[] s = expected.get(id);
        assertTrue(s != null, model.label() + " unexpected row " + line);
        assertEquals(s[0], n.get("conversions").asDouble(), 1e-9 * Math.max(1, s[0]), line);
        assertEquals(s[1], n.get("revenue").asDouble(), 1e-9 * Math.max(1, s[1]), line);
        conversionsSum += n.get("conversions").asDouble();
        revenueSum += n.get("revenue").asDouble();
      }
      assertEquals(paths.size(), conversionsSum, 1e-6, model.label() + ": credits sum to the conversions");
      assertEquals(totalRevenue, revenueSum, 1e-6 * totalRevenue, model.label() + ": and to the revenue");
    }
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> l = new ArrayList<>();
    it.forEachRemaining(l::add);
    return l;
  }
}
