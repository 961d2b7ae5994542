package org.lambdadist.serving.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lambdadist.storage.UserError;

/** Command lines of {@code lambda query}: what each asks, and every mistake refused as a usage error before a request. */
class QueryCommandTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T12:34:56.789Z"), ZoneOffset.UTC);

  private static QueryCommand parse(String... args) throws UserError {
    return QueryCommand.parse(args, CLOCK);
  }

  private static Map<String, String> key(String... dimsAndValues) {
    Map<String, String> key = new LinkedHashMap<>();
    for (int i = 0; i < dimsAndValues.length; i += 2) {
      key.put(dimsAndValues[i], dimsAndValues[i + 1]);
    }
    return key;
  }

  @Test
  void aLookupTakesViewGranularityRangeAndEveryDimensionAsArguments() throws Exception {
    QueryCommand c = parse("page_traffic", "minute", "--from", "2026-11-01T10:00:00Z", "--to", "1793527200000",
        "page=/a=b", "--null", "referrer", "country=");
    assertEquals(QueryCommand.Kind.LOOKUP, c.kind());
    assertEquals("page_traffic", c.view());
    assertEquals("minute", c.granularity());
    assertEquals(Instant.parse("2026-11-01T10:00:00Z"), c.from());
    assertEquals(Instant.ofEpochMilli(1793527200000L), c.to());
    assertEquals(List.of(key("page", "/a=b", "country", "", "referrer", null)), c.keys());
    assertNull(c.format(), "chosen by the terminal");
    assertNull(c.api());
    assertNull(c.token());
  }

  @Test
  void timesAreInstantsDaysOrRelativeToOneNowAndToDefaultsToNow() throws Exception {
    QueryCommand c = parse("v", "hour", "--from", "now-90m", "--format", "table", "--api", "http://h:1", "--token", "t");
    assertEquals(Instant.parse("2026-11-30T11:04:56.789Z"), c.from());
    assertEquals(CLOCK.instant(), c.to());
    assertEquals(QueryCommand.Format.TABLE, c.format());
    assertEquals("http://h:1", c.api());
    assertEquals("t", c.token());
    assertEquals(Instant.parse("2026-11-01T00:00:00Z"), parse("v", "day", "--from", "2026-11-01", "--to", "now").from());
    assertEquals(Instant.parse("2026-11-29T12:34:56.789Z"), parse("v", "day", "--from=now-1d").from());
    assertEquals(Instant.parse("2026-11-30T12:34:46.789Z"), parse("v", "day", "--from", "now-10s").from());
    assertEquals(Instant.parse("2026-11-30T10:34:56.789Z"), parse("v", "day", "--from", "now-2h").from());
    assertEquals(Instant.parse("2026-11-01T09:00:00Z"), parse("v", "day", "--from", "2026-11-01T10:00:00+01:00").from());
    assertEquals(QueryCommand.Format.JSON, parse("v", "day", "--from", "now-1h", "--json").format());
    assertEquals(QueryCommand.Format.JSON, parse("v", "day", "--from", "now-1h", "--format", "json").format());
  }

  @Test
  void repeatedKeysAreOneMultiKeyLookupInTheOrderGiven() throws Exception {
    QueryCommand c = parse("page_traffic", "hour", "--from", "now-1d", "--key", "page=/a,country=US",
        "--key", "{\"page\":\"/b,c\",\"country\":null}", "--key", "page=/x,country=");
    assertEquals(QueryCommand.Kind.LOOKUPS, c.kind());
    assertEquals(List.of(key("page", "/a", "country", "US"), key("page", "/b,c", "country", null),
        key("page", "/x", "country", "")), c.keys());
  }

  @Test
  void viewsAndAttributionAreTheirOwnQuestions() throws Exception {
    QueryCommand views = parse("views", "--json");
    assertEquals(QueryCommand.Kind.VIEWS, views.kind());
    assertEquals(QueryCommand.Format.JSON, views.format());
    QueryCommand a = parse("attribution", "linear", "--from", "2026-11-01", "--to", "today", "--by", "campaign");
    assertEquals(QueryCommand.Kind.ATTRIBUTION, a.kind());
    assertEquals("linear", a.model());
    assertEquals(LocalDate.parse("2026-11-01"), a.firstDay());
    assertEquals(LocalDate.parse("2026-11-30"), a.lastDay());
    assertEquals("campaign", a.by());
    QueryCommand compare = parse("attribution", "compare", "--from", "today-6", "--to", "today-1d");
    assertEquals(LocalDate.parse("2026-11-24"), compare.firstDay());
    assertEquals(LocalDate.parse("2026-11-29"), compare.lastDay());
    assertNull(compare.by(), "the API's default");
    assertEquals(QueryCommand.Kind.HELP, parse("--help").kind());
    assertEquals(QueryCommand.Kind.HELP, parse("views", "-h").kind());
  }

  @Test
  void everyMistakeIsAUsageErrorThatNamesIt() {
    Object[][] cases = {
        {new String[] {}, "nothing to ask"},
        {new String[] {"page_traffic"}, "needs VIEW GRANULARITY"},
        {new String[] {"v", "day", "page=/"}, "--from is required"},
        {new String[] {"v", "day", "--from", "yesterday"}, "--from is not a time: 'yesterday'"},
        {new String[] {"v", "day", "--from", "2026-11-01T10:00:00"}, "--from is not a time"},
        {new String[] {"v", "day", "--from", "2026-13-01"}, "--from is not a day"},
        {new String[] {"v", "day", "--from", "now-1w"}, "--from is not a time"},
        {new String[] {"v", "day", "--from", "now", "--from", "now"}, "--from is given more than once"},
        {new String[] {"v", "day", "--from", "now-1h", "page"}, "expected DIM=VALUE"},
        {new String[] {"v", "day", "--from", "now-1h", "=x"}, "expected DIM=VALUE"},
        {new String[] {"v", "day", "--from", "now-1h", "page=a", "page=b"}, "'page' is given more than once"},
        {new String[] {"v", "day", "--from", "now-1h", "page=a", "--null", "page"}, "'page' is given more than once"},
        {new String[] {"v", "day", "--from", "now-1h", "page=a", "--key", "page=b"}, "not both"},
        {new String[] {"v", "day", "--from", "now-1h", "--null", "page", "--key", "page=b"}, "not both"},
        {new String[] {"v", "day", "--from", "now-1h", "--key", "page=a,,country=b"}, "expected DIM=VALUE,DIM2=VALUE2"},
        {new String[] {"v", "day", "--from", "now-1h", "--key", "{\"page\":1}"}, "must be a string or null"},
        {new String[] {"v", "day", "--from", "now-1h", "--key", "{\"page\":"}, "is not a JSON object"},
        {new String[] {"v", "day", "--from", "now-1h", "--by", "channel"}, "--by means nothing to a lookup"},
        {new String[] {"v", "day", "--from", "now-1h", "--format", "csv"}, "--format is table or json"},
        {new String[] {"v", "day", "--from", "now-1h", "--format", "table", "--json"}, "contradict"},
        {new String[] {"v", "day", "--from", "now-1h", "--nope"}, "Unrecognized option: --nope"},
        {new String[] {"v", "day", "--from"}, "Missing argument for option: from"},
        {new String[] {"views", "extra"}, "views takes no arguments"},
        {new String[] {"views", "--from", "now"}, "--from means nothing to views"},
        {new String[] {"attribution"}, "one model"},
        {new String[] {"attribution", "linear", "--from", "2026-11-01"}, "--to is required"},
        {new String[] {"attribution", "linear", "--from", "2026-11-01T00:00:00Z", "--to", "today"}, "--from is not a day"},
        {new String[] {"attribution", "linear", "--from", "today", "--to", "today", "--by", "country"}, "--by is channel or campaign"},
        {new String[] {"attribution", "linear", "--from", "today", "--to", "today", "--key", "a=b"}, "--key means nothing"},
    };
    for (Object[] c : cases) {
      String[] args = (String[]) c[0];
      UserError e = assertThrows(UserError.class, () -> parse(args), Arrays.toString(args));
      assertTrue(e.isUsage(), Arrays.toString(args));
      assertTrue(e.getMessage().contains((String) c[1]), Arrays.toString(args) + ": " + e.getMessage());
    }
  }
}
