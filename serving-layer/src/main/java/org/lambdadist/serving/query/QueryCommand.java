package org.lambdadist.serving.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.lambdadist.storage.UserError;

/**
 * One {@code lambda query} command line, parsed and checked before any request: what to ask
 * ({@link Kind}), how to print it, and where the API is when the line says so. Whatever the API
 * checks itself (the view, the granularity, the dimensions a view has, the range's size) is
 * left to it, so the two never disagree.
 *
 * @param kind what is asked
 * @param view the view of a lookup
 * @param granularity the granularity of a lookup
 * @param from a lookup's first bucket start (inclusive)
 * @param to a lookup's end (exclusive)
 * @param keys a lookup's keys, each dimension to its value (null: the value was missing); one
 *     for {@link Kind#LOOKUP}
 * @param model the attribution model, or {@code compare}
 * @param firstDay the attribution's first day
 * @param lastDay the attribution's last day (inclusive)
 * @param by {@code channel}, {@code campaign}, or null (the API's default, channel)
 * @param format the output format, or null to choose by the terminal
 * @param api the API's base URL given on the line, or null (from the settings)
 * @param token the bearer token given on the line, or null (from the settings)
 */
record QueryCommand(Kind kind, String view, String granularity, Instant from, Instant to,
                    List<Map<String, String>> keys, String model, LocalDate firstDay, LocalDate lastDay, String by,
                    Format format, String api, String token) {

  /** What a command asks for. */
  enum Kind {
    /** One key: {@code GET /v1/views/{view}/{granularity}}. */
    LOOKUP,
    /** Keys given with {@code --key}: {@code POST /v1/views/{view}/{granularity}/lookup}. */
    LOOKUPS,
    /** {@code GET /v1/views}. */
    VIEWS,
    /** {@code GET /v1/attribution/{model}}. */
    ATTRIBUTION,
    /** {@code --help}: the usage text, nothing asked. */
    HELP
  }

  /** How an answer is printed. */
  enum Format {
    /** The API's JSON answer, unchanged. */
    JSON,
    /** Aligned text columns. */
    TABLE
  }

  /** The usage text (also what {@code lambda query --help} prints). */
  static final String USAGE = String.join("\n",
      "usage: lambda query [-D key=value ...] VIEW GRANULARITY --from T [--to T] DIM=VALUE ... [--null DIM ...] [options]",
      "       lambda query [-D key=value ...] VIEW GRANULARITY --from T [--to T] --key DIM=VALUE,... [--key ...] [options]",
      "       lambda query [-D key=value ...] views [options]",
      "       lambda query [-D key=value ...] attribution MODEL|compare --from DAY --to DAY [--by channel|campaign] [options]",
      "Asks the running API (lambda serve, lambda local) for one key's buckets, several keys' buckets, the views and",
      "their schemas, or the credited conversions of an attribution model.",
      "  VIEW GRANULARITY       a view and one of its granularities (minute, hour, day): lambda query views lists them",
      "  DIM=VALUE              the key: every dimension of the view, one argument each",
      "  --null DIM             DIM's value was missing in the events (JSON null)",
      "  --key DIM=V,DIM2=W     one key of a multi-key lookup, repeatable (one request for all); a JSON object",
      "                         ('{\"country\":\"US\",\"referrer\":null}') for a value with a comma or a missing value",
      "  --from T, --to T       the buckets starting in [from, to): ISO-8601 with zone (2026-11-01T10:00:00Z), epoch",
      "                         millis, a day (2026-11-01: its start in UTC), now, or now-N with s, m, h or d (now-2h);",
      "                         --to defaults to now. For attribution, days (YYYY-MM-DD, today, today-N), both included",
      "  --by channel|campaign  attribution per channel (default) or per channel and campaign",
      "  --format table|json    table: aligned text, a line per bucket with each metric; json: the API's answer",
      "                         unchanged (for jq). Default: table when stdout is a terminal, else json",
      "  --json                 the same as --format json",
      "  --api URL              the API (default lambda.serving.url, else http://lambda.serving.host:lambda.serving.port)",
      "  --token TOKEN          the bearer token (default lambda.serving.auth.token)",
      "Exit codes: 0 answered; 1 the API refused the request or a key of it (its message on stderr), or cannot be",
      "reached; 2 a usage error.",
      "");

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Options options() {
    return new Options()
        .addOption(Option.builder().longOpt("from").hasArg().build())
        .addOption(Option.builder().longOpt("to").hasArg().build())
        .addOption(Option.builder().longOpt("key").hasArg().build())
        .addOption(Option.builder().longOpt("null").hasArg().build())
        .addOption(Option.builder().longOpt("by").hasArg().build())
        .addOption(Option.builder().longOpt("format").hasArg().build())
        .addOption(Option.builder().longOpt("json").build())
        .addOption(Option.builder().longOpt("api").hasArg().build())
        .addOption(Option.builder().longOpt("token").hasArg().build())
        .addOption(Option.builder("h").longOpt("help").build());
  }

  /**
   * The command of {@code args} (generic {@code -D} settings already taken out).
   *
   * @throws UserError a usage error that names what is wrong
   */
  static QueryCommand parse(String[] args, Clock clock) throws UserError {
    CommandLine cmd;
    try {
      cmd = new DefaultParser().parse(options(), args, false);
    } catch (ParseException e) {
      throw UserError.usage(e.getMessage(), e);
    }
    if (cmd.hasOption("help")) {
      return new QueryCommand(Kind.HELP, null, null, null, null, List.of(), null, null, null, null, null, null, null);
    }
    for (String single : new String[] {"from", "to", "by", "format", "api", "token"}) {
      String[] values = cmd.getOptionValues(single);
      if (values != null && values.length > 1) {
        throw UserError.usage("--" + single + " is given more than once");
      }
    }
    Format format = format(cmd);
    String api = cmd.getOptionValue("api");
    String token = cmd.getOptionValue("token");
    List<String> positional = cmd.getArgList();
    if (positional.isEmpty()) {
      throw UserError.usage("nothing to ask: give VIEW GRANULARITY, views or attribution MODEL");
    }
    switch (positional.get(0)) {
      case "views" -> {
        if (positional.size() > 1) {
          throw UserError.usage("views takes no arguments, got " + positional.subList(1, positional.size()));
        }
        refuse(cmd, "views", "from", "to", "key", "null", "by");
        return new QueryCommand(Kind.VIEWS, null, null, null, null, List.of(), null, null, null, null, format, api, token);
      }
      case "attribution" -> {
        if (positional.size() != 2) {
          throw UserError.usage("attribution takes one model (or compare), got " + positional.subList(1, positional.size()));
        }
        refuse(cmd, "attribution", "key", "null");
        LocalDate first = QueryTime.day("--from", required(cmd, "from", "the first day"), clock);
        LocalDate last = QueryTime.day("--to", required(cmd, "to", "the last day"), clock);
        String by = cmd.getOptionValue("by");
        if (by != null && !by.equals("channel") && !by.equals("campaign")) {
          throw UserError.usage("--by is channel or campaign, got '" + by + "'");
        }
        return new QueryCommand(Kind.ATTRIBUTION, null, null, null, null, List.of(), positional.get(1), first, last, by,
            format, api, token);
      }
      default -> {
        return lookup(cmd, positional, clock, format, api, token);
      }
    }
  }

  private static QueryCommand lookup(CommandLine cmd, List<String> positional, Clock clock, Format format, String api,
                                     String token) throws UserError {
    if (positional.size() < 2) {
      throw UserError.usage("a lookup needs VIEW GRANULARITY, got only '" + positional.get(0) + "'");
    }
    refuse(cmd, "a lookup", "by");
    Instant now = clock.instant();
    Clock fixed = Clock.fixed(now, java.time.ZoneOffset.UTC); // --from now-1h and the default --to: one now
    Instant from = QueryTime.instant("--from", required(cmd, "from", "the first bucket's start"), fixed);
    Instant to = cmd.hasOption("to") ? QueryTime.instant("--to", cmd.getOptionValue("to"), fixed) : now;
    List<String> dims = positional.subList(2, positional.size());
    String[] keyOptions = cmd.getOptionValues("key");
    if (keyOptions == null) {
      Map<String, String> key = new LinkedHashMap<>();
      for (String d : dims) {
        int eq = d.indexOf('=');
        if (eq <= 0) {
          throw UserError.usage("expected DIM=VALUE after VIEW GRANULARITY, got '" + d + "'");
        }
        put(key, d.substring(0, eq), d.substring(eq + 1));
      }
      String[] nulls = cmd.getOptionValues("null");
      for (String d : nulls == null ? new String[0] : nulls) {
        put(key, d, null);
      }
      return new QueryCommand(Kind.LOOKUP, positional.get(0), positional.get(1), from, to,
          List.of(Collections.unmodifiableMap(key)), null, null, null, null, format, api, token);
    }
    if (!dims.isEmpty() || cmd.hasOption("null")) {
      throw UserError.usage("give the key as DIM=VALUE arguments (and --null) or the keys as --key options, not both");
    }
    List<Map<String, String>> keys = new ArrayList<>();
    for (String k : keyOptions) {
      keys.add(key(k));
    }
    return new QueryCommand(Kind.LOOKUPS, positional.get(0), positional.get(1), from, to, List.copyOf(keys), null, null,
        null, null, format, api, token);
  }

  /** A {@code --key}: {@code DIM=V,DIM2=W}, or a JSON object of strings and nulls. */
  static Map<String, String> key(String text) throws UserError {
    Map<String, String> key = new LinkedHashMap<>();
    if (text.strip().startsWith("{")) {
      JsonNode node;
      try {
        node = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        throw UserError.usage("--key " + text + " is not a JSON object: " + e.getOriginalMessage(), e);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> d = it.next();
        if (!d.getValue().isTextual() && !d.getValue().isNull()) {
          throw UserError.usage("--key " + text + ": the value of '" + d.getKey() + "' must be a string or null");
        }
        put(key, d.getKey(), d.getValue().isNull() ? null : d.getValue().asText());
      }
      return Collections.unmodifiableMap(key);
    }
    for (String part : text.split(",", -1)) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw UserError.usage("--key " + text + ": expected DIM=VALUE,DIM2=VALUE2, got '" + part + "'");
      }
      put(key, part.substring(0, eq), part.substring(eq + 1));
    }
    return Collections.unmodifiableMap(key);
  }

  private static void put(Map<String, String> key, String dimension, String value) throws UserError {
    if (key.containsKey(dimension)) {
      throw UserError.usage("dimension '" + dimension + "' is given more than once");
    }
    key.put(dimension, value);
  }

  private static Format format(CommandLine cmd) throws UserError {
    String f = cmd.getOptionValue("format");
    if (cmd.hasOption("json")) {
      if (f != null && !f.equals("json")) {
        throw UserError.usage("--json and --format " + f + " contradict each other");
      }
      return Format.JSON;
    }
    if (f == null) {
      return null;
    }
    return switch (f) {
      case "json" -> Format.JSON;
      case "table" -> Format.TABLE;
      default -> throw UserError.usage("--format is table or json, got '" + f + "'");
    };
  }

  private static String required(CommandLine cmd, String option, String what) throws UserError {
    String v = cmd.getOptionValue(option);
    if (v == null) {
      throw UserError.usage("--" + option + " is required (" + what + ")");
    }
    return v;
  }

  /** Fails when an option that means nothing to {@code what} is given. */
  private static void refuse(CommandLine cmd, String what, String... options) throws UserError {
    for (String o : options) {
      if (cmd.hasOption(o)) {
        throw UserError.usage("--" + o + " means nothing to " + what);
      }
    }
  }
}
