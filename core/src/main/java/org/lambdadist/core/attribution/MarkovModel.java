package org.lambdadist.core.attribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The first-order Markov attribution model with exact removal effects.
 *
 * <p>States: {@code start}, one per channel, and the absorbing {@code conversion} and
 * {@code null}. Every converting path {@code c1 > … > ck} adds the transitions start→c1, c1→c2,
 * …, ck→conversion (a conversion without touches adds start→conversion); every non-converting
 * path (a user's touches after their last conversion) adds start→c1, …, ck→null. Transition
 * probabilities are the counts normalised per state.
 *
 * <p>{@code P} is the probability of reaching conversion from start, found exactly by solving
 * the absorbing chain's linear system {@code x_s = Σ_t P(s→t)·x_t + P(s→conversion)} (Gaussian
 * elimination, no simulation). The removal effect of channel c is {@code (P − P₋c) / P}, where
 * {@code P₋c} solves the same system with c sending everything to null. A conversion is split
 * over the distinct channels of its own path in proportion to their removal effects (evenly
 * when they are all 0), and a channel's share evenly over its touches, each with its campaign.
 *
 * <p>Worked example (tested): paths A > B converting, A not converting, B converting. Start
 * goes to A with 2/3 and to B with 1/3; A to B 1/2, to null 1/2; B to conversion 1. P = 2/3·1/2
 * + 1/3 = 2/3. Without A: P = 1/3, effect 1/2. Without B: P = 0, effect 1. So the conversion of
 * A > B is credited A 1/3, B 2/3, and that of B wholly to B.
 */
public final class MarkovModel {
  private final Map<String, Double> removalEffects;
  private final double conversionProbability;

  private MarkovModel(Map<String, Double> removalEffects, double conversionProbability) {
    this.removalEffects = removalEffects;
    this.conversionProbability = conversionProbability;
  }

  /** Fits the chain to the channel sequences of all converting and non-converting paths. */
  public static MarkovModel fit(List<List<String>> converting, List<List<String>> nonConverting) {
    Transitions t = new Transitions();
    converting.forEach(p -> t.addPath(p, true));
    nonConverting.forEach(p -> t.addPath(p, false));
    return fit(t);
  }

  /**
   * Transition counts between states, mergeable: a batch job counts them per task and sums them
   * before fitting. States are channel names, {@link #START}, {@link #CONVERSION} and
   * {@link #NULL} (names no channel can have: they start with a NUL character).
   */
  public static final class Transitions {
    public static final String START = "\u0000start";
    public static final String CONVERSION = "\u0000conversion";
    public static final String NULL = "\u0000null";
    private final Map<String, Map<String, Long>> counts = new TreeMap<>();

    /** Adds a path's transitions; an empty non-converting path adds nothing. */
    public void addPath(List<String> channels, boolean converted) {
      if (channels.isEmpty() && !converted) {
        return;
      }
      String previous = START;
      for (String c : channels) {
        add(previous, c, 1);
        previous = c;
      }
      add(previous, converted ? CONVERSION : NULL, 1);
    }

    public void add(String from, String to, long n) {
      counts.computeIfAbsent(from, k -> new TreeMap<>()).merge(to, n, Long::sum);
    }

    /** Every (from, to, count), for writing out and merging elsewhere. */
    public Map<String, Map<String, Long>> counts() {
      return counts;
    }
  }

  /** Fits the chain to summed transition counts. */
  public static MarkovModel fit(Transitions transitions) {
    TreeSet<String> channels = new TreeSet<>();
    transitions.counts().forEach((from, tos) -> {
      if (!from.equals(Transitions.START)) {
        channels.add(from);
      }
      tos.keySet().stream().filter(to -> !to.startsWith("\u0000")).forEach(channels::add);
    });
    List<String> names = new ArrayList<>(channels);
    Map<String, Integer> index = new LinkedHashMap<>();
    index.put(Transitions.START, 0);
    for (int i = 0; i < names.size(); i++) {
      index.put(names.get(i), i + 1);
    }
    int n = names.size() + 1;
    index.put(Transitions.CONVERSION, n);
    index.put(Transitions.NULL, n + 1);
    long[][] counts = new long[n][n + 2];
    transitions.counts().forEach((from, tos) -> tos.forEach((to, c) -> counts[index.get(from)][index.get(to)] += c));
    double p = solve(counts, -1);
    Map<String, Double> effects = new TreeMap<>();
    for (String c : names) {
      double without = solve(counts, index.get(c));
      double effect = p > 0 ? (p - without) / p : 0;
      effects.put(c, Math.max(0, Math.min(1, effect)));
    }
    return new MarkovModel(effects, p);
  }

  /** P(conversion from start), with state {@code removed} (≥ 1) sending everything to null. */
  private static double solve(long[][] counts, int removed) {
    int n = counts.length;
    double[][] a = new double[n][n + 1];
    for (int s = 0; s < n; s++) {
      a[s][s] = 1;
      long total = 0;
      for (long c : counts[s]) {
        total += c;
      }
      if (s == removed || total == 0) {
        continue; // x_s = 0
      }
      for (int t = 0; t < n; t++) {
        a[s][t] -= counts[s][t] / (double) total;
      }
      a[s][n] = counts[s][n] / (double) total; // to conversion
    }
    // Gaussian elimination with partial pivoting.
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      double[] tmp = a[col];
      a[col] = a[pivot];
      a[pivot] = tmp;
      if (Math.abs(a[col][col]) < 1e-300) {
        throw new IllegalStateException("singular Markov system: a closed loop of channels never absorbs");
      }
      for (int r = 0; r < n; r++) {
        if (r != col && a[r][col] != 0) {
          double f = a[r][col] / a[col][col];
          for (int k = col; k <= n; k++) {
            a[r][k] -= f * a[col][k];
          }
        }
      }
    }
    return a[0][n] / a[0][0];
  }

  /** A model from removal effects computed elsewhere (a batch driver hands them to its tasks). */
  public static MarkovModel ofRemovalEffects(Map<String, Double> effects, double conversionProbability) {
    return new MarkovModel(new TreeMap<>(effects), conversionProbability);
  }

  /** The removal effect of each channel seen, by channel name. */
  public Map<String, Double> removalEffects() {
    return removalEffects;
  }

  /** The probability of converting from start in the fitted chain. */
  public double conversionProbability() {
    return conversionProbability;
  }

  /** Splits one conversion over its path's touches; see the class comment. */
  public List<Credit> credit(List<Touch> touches) {
    Map<String, Integer> touchesPerChannel = new LinkedHashMap<>();
    for (Touch t : touches) {
      touchesPerChannel.merge(t.channel(), 1, Integer::sum);
    }
    double total = 0;
    for (String c : touchesPerChannel.keySet()) {
      total += removalEffects.getOrDefault(c, 0.0);
    }
    List<Credit> credits = new ArrayList<>(touches.size());
    for (Touch t : touches) {
      double channelShare = total > 0
          ? removalEffects.getOrDefault(t.channel(), 0.0) / total
          : 1.0 / touchesPerChannel.size();
      credits.add(new Credit(t.channel(), t.campaign(), channelShare / touchesPerChannel.get(t.channel())));
    }
    return credits;
  }
}
