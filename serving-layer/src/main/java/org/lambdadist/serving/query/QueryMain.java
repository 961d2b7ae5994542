package org.lambdadist.serving.query;

import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.serving.client.ServingClient;
import org.lambdadist.serving.client.ServingException;
import org.lambdadist.storage.UserError;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * {@code lambda query}: key lookups, the views and attribution for people without a front end,
 * through the running API with {@link ServingClient} (the same requests a front end makes, so
 * the same checks, limits and token). The answer goes to stdout as the API's JSON, unchanged, or
 * as {@link AnswerTable}'s text; errors go to stderr: exit code 1 when the API refused (its
 * message) or cannot be reached (its URL), 2 for a usage error (with the usage text).
 *
 * <p>The API's address and token come from the settings {@code lambda serve} reads
 * ({@link ApiAddress}; {@code lambda.serving.auth.token}), so on the serving machine a query
 * needs neither; {@code lambda.connect.timeout} bounds each request.
 */
public final class QueryMain extends Configured implements Tool {
  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;
  private final boolean terminal;

  /**
   * A query printing answers to {@code out} and messages to {@code err}; {@code terminal}: whether
   * {@code out} is a terminal (the default format is then a table, else JSON).
   */
  public QueryMain(PrintStream out, PrintStream err, Clock clock, boolean terminal) {
    this.out = out;
    this.err = err;
    this.clock = clock;
    this.terminal = terminal;
  }

  public static void main(String[] args) throws Exception {
    // UTF-8 whatever the locale: the API's answers are UTF-8 and jq reads UTF-8.
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.exit(ToolRunner.run(LambdaSettings.create(), new QueryMain(out, err, Clock.systemUTC(), stdoutIsTerminal()),
        args));
  }

  /**
   * Whether stdout is a terminal. Before JDK 22 the JVM has a console exactly when stdin and
   * stdout are terminals; from JDK 22 it may have one anyway and says so with
   * {@code Console.isTerminal()}.
   */
  static boolean stdoutIsTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // JDK 17 to 21: a console exists only on a terminal
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Console.isTerminal() failed", e);
    }
  }

  @Override
  public int run(String[] args) throws Exception {
    Configuration conf = getConf() != null ? getConf() : LambdaSettings.create();
    QueryCommand command;
    ServingClient client;
    try {
      command = QueryCommand.parse(LambdaSettings.takeLateSettings(conf, args), clock);
      if (command.kind() == QueryCommand.Kind.HELP) {
        err.print(QueryCommand.USAGE);
        return 0;
      }
      client = client(command, conf);
    } catch (UserError e) {
      err.println("lambda query: " + e.getMessage());
      if (e.isUsage()) {
        err.print(QueryCommand.USAGE);
      }
      return 2;
    }
    QueryCommand.Format format = command.format() != null ? command.format()
        : terminal ? QueryCommand.Format.TABLE : QueryCommand.Format.JSON;
    try {
      return ask(client, command, format);
    } catch (ServingException e) {
      // A refusal (4xx) says what to change; a failure (5xx) is in the API's log under its request id.
      err.println("lambda query: the API answered " + e.getMessage()
          + (e.status() >= 500 && e.requestId() != null ? " (request " + e.requestId() + " in its log)" : ""));
      return 1;
    } catch (HttpConnectTimeoutException e) {
      err.println("lambda query: cannot reach the API at " + client.base() + ": no connection within "
          + timeout(conf).toMillis() + " ms (" + LambdaKeys.CONNECT_TIMEOUT + ")");
      return 1;
    } catch (HttpTimeoutException e) {
      err.println("lambda query: the API at " + client.base() + " did not answer within " + timeout(conf).toMillis()
          + " ms (" + LambdaKeys.CONNECT_TIMEOUT + ")");
      return 1;
    } catch (IOException e) {
      err.println("lambda query: cannot reach the API at " + client.base() + ": " + reason(e)
          + ". Is it running (lambda serve, lambda local)? Its address: --api URL or " + LambdaKeys.SERVING_URL);
      return 1;
    }
  }

  private ServingClient client(QueryCommand command, Configuration conf) throws UserError {
    URI base = ApiAddress.of(command.api(), conf);
    String token = command.token() != null ? command.token()
        : LambdaSettings.get(conf, LambdaKeys.SERVING_AUTH_TOKEN).trim();
    Duration timeout;
    try {
      timeout = timeout(conf);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    return new ServingClient(base, token.isEmpty() ? null : token, timeout);
  }

  private static Duration timeout(Configuration conf) {
    return Duration.ofMillis(LambdaSettings.getMillis(conf, LambdaKeys.CONNECT_TIMEOUT));
  }

  /** Asks the API and prints its answer; 1 when a key of a multi-key lookup was refused, else 0. */
  private int ask(ServingClient client, QueryCommand c, QueryCommand.Format format)
      throws IOException, InterruptedException {
    ServingClient.Answer answer = switch (c.kind()) {
      case LOOKUP -> client.lookupAnswer(c.view(), c.granularity(), c.from(), c.to(), c.keys().get(0));
      case LOOKUPS -> client.lookupAnswer(c.view(), c.granularity(), c.from(), c.to(), c.keys());
      case VIEWS -> client.viewsAnswer();
      case ATTRIBUTION -> client.attributionAnswer(c.model(), c.firstDay(), c.lastDay(), c.by());
      case HELP -> throw new IllegalStateException("help asks the API nothing");
    };
    if (format == QueryCommand.Format.JSON) {
      out.print(answer.text());
      if (!answer.text().endsWith("\n")) {
        out.println();
      }
    } else {
      out.print(switch (c.kind()) {
        case LOOKUP -> AnswerTable.lookup(answer.json());
        case LOOKUPS -> AnswerTable.lookups(answer.json(), c.keys());
        case VIEWS -> AnswerTable.views(answer.json());
        default -> AnswerTable.attribution(answer.json());
      });
    }
    out.flush();
    if (c.kind() != QueryCommand.Kind.LOOKUPS) {
      return 0;
    }
    int refused = 0;
    int i = 0;
    for (ServingClient.KeyLookup r : ServingClient.Lookups.of(answer.json()).results()) {
      if (!r.ok()) {
        refused++;
        err.println("lambda query: key " + (i < c.keys().size() ? AnswerTable.key(c.keys().get(i)) : "#" + (i + 1))
            + " refused: " + r.error());
      }
      i++;
    }
    return refused == 0 ? 0 : 1;
  }

  /** Why a request failed, in words: the first message in the chain of causes, else its kind. */
  private static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
      if (t instanceof ConnectException) {
        return "connection refused";
      }
    }
    return e.getClass().getSimpleName();
  }
}
