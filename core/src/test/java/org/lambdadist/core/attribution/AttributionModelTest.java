package org.lambdadist.core.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AttributionModelTest {
  private static final long DAY = 86_400_000L;
  private static final long T = 100 * DAY;
  private static final AttributionSettings S = AttributionSettings.DEFAULTS;

  private static Touch touch(long ts, String id, String channel, String campaign) {
    return new Touch(ts, id, channel, campaign);
  }

  private static ConversionPath path(Touch... touches) {
    return new ConversionPath(T, "conv", 100.0, List.of(touches));
  }

  private static double[] weights(List<Credit> credits) {
    return credits.stream().mapToDouble(Credit::weight).toArray();
  }

  @Test
  void timeDecayHalvesEveryHalfLife() {
    ConversionPath p = path(touch(T - 22 * DAY, "a", "email", null), touch(T - 15 * DAY, "b", "email", null),
        touch(T - 8 * DAY, "c", "email", null), touch(T - DAY, "d", "email", null));
    double[] w = weights(AttributionModel.TIME_DECAY.credit(p, S, null));
    double total = 0.125 + 0.25 + 0.5 + 1;
    double[] expected = {0.125 / total, 0.25 / total, 0.5 / total, 1 / total};
    for (int i = 0; i < 4; i++) {
      assertEquals(expected[i], w[i], 1e-12);
    }
  }

  @Test
  void positionBasedGivesFirstAndLastFortyPercent() {
    ConversionPath p = path(touch(T - 4, "1", "A", "a"), touch(T - 3, "2", "B", "b"), touch(T - 2, "3", "B", "b"),
        touch(T - 1, "4", "C", "c"));
    List<Credit> c = AttributionModel.POSITION_BASED.credit(p, S, null);
    assertEquals(List.of(0.4, 0.1, 0.1, 0.4), List.of(round(c.get(0)), round(c.get(1)), round(c.get(2)), round(c.get(3))));
    assertEquals(List.of(1.0), List.of(AttributionModel.POSITION_BASED.credit(path(touch(T, "x", "A", null)), S, null).get(0).weight()));
    List<Credit> two = AttributionModel.POSITION_BASED.credit(path(touch(T - 1, "x", "A", null), touch(T, "y", "B", null)), S, null);
    assertEquals(0.5, two.get(0).weight());
    assertEquals(0.5, two.get(1).weight());
  }

  private static double round(Credit c) {
    return Math.round(c.weight() * 1e9) / 1e9;
  }

  @Test
  void singleTouchModelsAndLastNonDirect() {
    ConversionPath p = path(touch(T - 3, "1", "search", "s1"), touch(T - 2, "2", "email", "w47"),
        touch(T - 1, "3", "direct", null));
    assertEquals(new Credit("search", "s1", 1.0), AttributionModel.FIRST_TOUCH.credit(p, S, null).get(0));
    assertEquals(new Credit("direct", null, 1.0), AttributionModel.LAST_TOUCH.credit(p, S, null).get(0));
    assertEquals(new Credit("email", "w47", 1.0), AttributionModel.LAST_NON_DIRECT.credit(p, S, null).get(0));
    ConversionPath allDirect = path(touch(T - 2, "1", "direct", null), touch(T - 1, "2", "direct", "d2"));
    assertEquals(new Credit("direct", "d2", 1.0), AttributionModel.LAST_NON_DIRECT.credit(allDirect, S, null).get(0));
    for (Credit c : AttributionModel.LINEAR.credit(p, S, null)) {
      assertEquals(1.0 / 3, c.weight(), 1e-15);
    }
  }

  @Test
  void aConversionWithoutTouchesGoesToNone() {
    for (AttributionModel m : AttributionModel.values()) {
      List<Credit> c = m.credit(path(), S, MarkovModel.fit(List.of(), List.of()));
      assertEquals(List.of(new Credit(Touch.NO_CHANNEL, null, 1.0)), c, m.label());
    }
    assertEquals(Touch.NO_CHANNEL, touch(1, "a", null, null).channel());
    assertNull(touch(1, "a", null, null).campaign());
  }

  @Test
  void markovThreeJourneysSolvedByHand() {
    // Journeys: A > B (converts), A (does not convert), B (converts).
    // Transitions: start→A 2, start→B 1; A→B 1, A→null 1; B→conversion 2.
    // Probabilities: start: A 2/3, B 1/3; A: B 1/2, null 1/2; B: conversion 1.
    // P(conversion) = 2/3 · 1/2 · 1 + 1/3 · 1 = 2/3.
    // Without A (A → null): P = 1/3 · 1 = 1/3, removal effect (2/3 − 1/3) / (2/3) = 1/2.
    // Without B (B → null): P = 0, removal effect 1.
    // The A > B conversion: A 1/2 / (1/2 + 1) = 1/3, B 2/3; the B conversion: B 1.
    MarkovModel m = MarkovModel.fit(List.of(List.of("A", "B"), List.of("B")), List.of(List.of("A")));
    assertEquals(2.0 / 3, m.conversionProbability(), 1e-12);
    assertEquals(0.5, m.removalEffects().get("A"), 1e-12);
    assertEquals(1.0, m.removalEffects().get("B"), 1e-12);
    List<Credit> ab = AttributionModel.MARKOV.credit(path(touch(T - 2, "1", "A", "a1"), touch(T - 1, "2", "B", "b1")), S, m);
    assertEquals(1.0 / 3, ab.get(0).weight(), 1e-12);
    assertEquals(2.0 / 3, ab.get(1).weight(), 1e-12);
    assertEquals("a1", ab.get(0).campaign());
    // A channel's share is split evenly over its touches, each with its campaign.
    List<Credit> abb = AttributionModel.MARKOV.credit(path(touch(T - 3, "1", "A", "a1"), touch(T - 2, "2", "B", "b1"),
        touch(T - 1, "3", "B", "b2")), S, m);
    assertEquals(List.of(1.0 / 3, 1.0 / 3, 1.0 / 3), List.of(abb.get(0).weight(), abb.get(1).weight(), abb.get(2).weight()));
    assertEquals("b2", abb.get(2).campaign());
  }

  @Test
  void everyModelSplitsEachConversionIntoCreditsSummingToOne() {
    SplittableRandom r = new SplittableRandom(5);
    String[] channels = {"search", "email", "direct", "social", null};
    List<List<String>> converting = new ArrayList<>();
    List<List<String>> nonConverting = new ArrayList<>();
    List<ConversionPath> paths = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      List<Touch> touches = new ArrayList<>();
      int n = r.nextInt(8);
      for (int k = 0; k < n; k++) {
        touches.add(touch(T - r.nextLong(30 * DAY), "e" + r.nextInt(1000), channels[r.nextInt(channels.length)],
            r.nextBoolean() ? null : "c" + r.nextInt(3)));
      }
      touches.sort(Touch.ORDER);
      List<String> seq = touches.stream().map(Touch::channel).toList();
      if (r.nextInt(4) == 0) {
        nonConverting.add(seq);
      } else {
        converting.add(seq);
        paths.add(new ConversionPath(T, "c" + i, r.nextInt(500), touches));
      }
    }
    MarkovModel markov = MarkovModel.fit(converting, nonConverting);
    for (AttributionModel m : AttributionModel.values()) {
      Map<String, Double> byChannel = new HashMap<>();
      for (ConversionPath p : paths) {
        double sum = 0;
        for (Credit c : m.credit(p, S, markov)) {
          sum += c.weight();
          byChannel.merge(c.channel(), c.weight() * p.revenue(), Double::sum);
        }
        assertEquals(1.0, sum, 1e-9, m.label() + " " + p);
      }
      double revenue = paths.stream().mapToDouble(ConversionPath::revenue).sum();
      assertEquals(revenue, byChannel.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-6);
    }
  }
}
