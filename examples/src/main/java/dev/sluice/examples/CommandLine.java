package dev.sluice.examples;

import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.stripe.catalog.StripeResource;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The main job's command line: which command, and every flag, checked. A mistake is a {@link
 * UsageException} whose message says what to change; it never echoes a key or a password.
 */
final class CommandLine {
  static final int EMULATOR_OBJECTS = 1_000;

  /** Exit status: everything worked. */
  static final int OK = 0;
  /** Exit status: a resource (or a step) failed. */
  static final int FAILED = 1;
  /** Exit status: the command line was wrong. */
  static final int USAGE = 2;
  /** Exit status: stopped by Ctrl-C (SIGINT), as shells report it. */
  static final int INTERRUPTED = 130;

  static final String HELP = String.join("\n",
      "usage: java -jar sluice.jar COMMAND [FLAGS]",
      "",
      "commands:",
      "  sync                 sync Stripe resources into --out (the default resources: "
          + String.join(",", StripeCatalog.DOCUMENTED_RESOURCES) + ")",
      "  check                test the key: its mode, the resources it may read, the API version",
      "  resources            list the Stripe resources Sluice can read",
      "  state show RESOURCE  print a resource's checkpoint and last run in --out",
      "  state reset RESOURCE forget a resource's checkpoint: its next sync reads everything again",
      "  version              print Sluice's version",
      "  ops                  run the entity operations and actions demo (see ops --help)",
      "",
      "connection flags (sync, check, ops):",
      "  --api-key KEY        a Stripe secret (sk_…) or restricted (rk_…) key; default $STRIPE_API_KEY.",
      "                       With no key at all, the bundled Stripe emulator's demo data is used;",
      "                       an empty STRIPE_API_KEY, or --api-base without a key, is a usage error",
      "  --api-base URL       the API base (default https://api.stripe.com; the emulator, stripe-mock)",
      "  --proxy URL          an HTTP proxy, http://[user@]host:port (no password in the URL)",
      "  --proxy-password-env NAME  the environment variable holding the proxy user's password",
      "  --proxy-auth basic|digest  how to authenticate to the proxy (default basic)",
      "  --verbosity 1..5     1 failures only (default), 2 retries, 3 one line per request,",
      "                       4 headers, 5 bodies and TLS; secrets are masked at every level",
      "",
      "sync flags:",
      "  --resources LIST     comma-separated resources (see the resources command)",
      "  --mapping R=FILE     map resource R with an AEP mapping set JSON file (repeatable, once per R);",
      "                       resources without one are written as the Stripe object itself",
      "  --tenant ID          the tenant id bound to {ORG_ID}/{TENANT_ID} in mapping sets",
      "  --out DIR            where the data goes (default ./sluice-data); also for state",
      "  --format F           jsonl (default) or parquet",
      "  --full-refresh       re-read every resource and delete what Stripe no longer has; also",
      "                       takes over an --out that holds another Stripe source's data",
      "  --parallelism N      backfill slices read at once, 1..64 (default 10)",
      "  --batch-size N       most records committed at once (default 10000)",
      "  --emulator-objects N objects per resource of the bundled emulator (no key; default "
          + EMULATOR_OBJECTS + ")",
      "",
      "output flags:",
      "  --quiet              print no progress and no table, only errors",
      "  --json               print the summary as one JSON object on stdout",
      "  -h, --help           print this help",
      "",
      "exit status: 0 everything worked, 1 a resource failed (each error is printed once, as one",
      "line), 2 the command line was wrong, 130 stopped by Ctrl-C (what was read is kept).");

  /** A command-line mistake; the message says what to change. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** The parsed command line. */
  static final class Options {
    String command;
    String stateAction;
    String stateResource;
    boolean help;
    String apiKey;
    boolean demo;
    String apiBase;
    String proxyHost;
    int proxyPort;
    String proxyUser;
    String proxyPassword;
    boolean proxyDigest;
    int verbosity = 1;
    List<String> resources = new ArrayList<>(StripeCatalog.DOCUMENTED_RESOURCES);
    Map<String, Path> mappings = new LinkedHashMap<>();
    String tenant;
    Path out = Path.of("sluice-data");
    boolean parquet;
    boolean fullRefresh;
    Integer parallelism;
    int batchSize = 10_000;
    int emulatorObjects = EMULATOR_OBJECTS;
    boolean quiet;
    boolean json;

    @Override
    public String toString() {
      return "Options{" + command + ", out=" + out + "}"; // never the key or the password
    }
  }

  private static final Set<String> COMMANDS =
      Set.of("sync", "check", "resources", "state", "version");
  private static final Set<String> SWITCHES =
      Set.of("--full-refresh", "--quiet", "--json", "--help", "-h");

  private CommandLine() {}

  /** Parses everything after the command name, with the environment for defaults. */
  static Options parse(String[] args, Map<String, String> env) {
    Options o = new Options();
    if (args.length == 0) {
      throw new UsageException("missing command: sync, check, resources, state, version or ops"
          + " (see --help)");
    }
    String first = args[0];
    if (first.equals("--help") || first.equals("-h") || first.equals("help")) {
      o.help = true;
      return o;
    }
    if (!COMMANDS.contains(first)) {
      throw new UsageException("unknown command '" + first + "': the commands are sync, check,"
          + " resources, state, version and ops (see --help)");
    }
    o.command = first;
    int i = 1;
    if (first.equals("state")) {
      if (args.length < 2 || args[1].startsWith("-")) {
        throw new UsageException("state needs show or reset and a resource: state show charges");
      }
      o.stateAction = args[1];
      if (!o.stateAction.equals("show") && !o.stateAction.equals("reset")) {
        throw new UsageException("unknown state action '" + o.stateAction + "': show or reset");
      }
      if (args.length < 3 || args[2].startsWith("-")) {
        throw new UsageException("state " + o.stateAction + " needs a resource: state "
            + o.stateAction + " charges");
      }
      o.stateResource = resource(args[2], "state " + o.stateAction);
      i = 3;
    }
    String proxyPasswordEnv = null;
    String proxy = null;
    boolean resourcesGiven = false;
    for (; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      if (SWITCHES.contains(arg)) {
        if (value != null) {
          throw new UsageException(arg + " takes no value");
        }
        switch (arg) {
          case "--full-refresh" -> o.fullRefresh = true;
          case "--quiet" -> o.quiet = true;
          case "--json" -> o.json = true;
          default -> o.help = true;
        }
        continue;
      }
      if (!arg.startsWith("-")) {
        throw new UsageException("unexpected argument '" + arg + "' (flags start with --)");
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new UsageException(arg + " needs a value");
        }
        value = args[++i];
      }
      switch (arg) {
        case "--api-key" -> o.apiKey = value;
        case "--api-base" -> o.apiBase = value;
        case "--resources" -> {
          resourcesGiven = true;
          o.resources = new ArrayList<>();
          for (String r : value.split(",")) {
            String name = resource(r.trim(), "--resources");
            if (!o.resources.contains(name)) {
              o.resources.add(name);
            }
          }
        }
        case "--mapping" -> {
          int sep = value.indexOf('=');
          if (sep <= 0 || sep == value.length() - 1) {
            throw new UsageException("--mapping takes RESOURCE=FILE, got '" + value + "'");
          }
          String resource = value.substring(0, sep);
          if (o.mappings.containsKey(resource)) {
            throw new UsageException("--mapping names " + resource + " twice; give one mapping"
                + " set per resource");
          }
          o.mappings.put(resource, Path.of(value.substring(sep + 1)));
        }
        case "--tenant" -> o.tenant = value;
        case "--out" -> o.out = Path.of(value);
        case "--format" -> {
          if (!value.equals("jsonl") && !value.equals("parquet")) {
            throw new UsageException("--format takes jsonl or parquet, got '" + value + "'");
          }
          o.parquet = value.equals("parquet");
        }
        case "--emulator-objects" -> o.emulatorObjects = number(arg, value, 1, 10_000_000);
        case "--parallelism" -> o.parallelism = number(arg, value, 1, 64);
        case "--batch-size" -> o.batchSize = number(arg, value, 1, 1_000_000);
        case "--verbosity" -> o.verbosity = number(arg, value, 1, 5);
        case "--proxy" -> proxy = value;
        case "--proxy-password-env" -> proxyPasswordEnv = value;
        case "--proxy-auth" -> {
          if (!value.equals("basic") && !value.equals("digest")) {
            throw new UsageException("--proxy-auth takes basic or digest, got '" + value + "'");
          }
          o.proxyDigest = value.equals("digest");
        }
        default -> throw new UsageException("unknown option '" + arg + "' (see --help)");
      }
    }
    if (o.help) {
      return o;
    }
    key(o, env);
    proxy(o, proxy, proxyPasswordEnv, env);
    for (String r : o.mappings.keySet()) {
      if (!o.resources.contains(r)) {
        throw new UsageException("--mapping names '" + r + "', which is not among the resources"
            + " synced (" + String.join(",", o.resources) + ")"
            + (resourcesGiven ? "" : ": add it with --resources"));
      }
    }
    return o;
  }

  private static void key(Options o, Map<String, String> env) {
    if (o.apiKey == null && env.containsKey("STRIPE_API_KEY")) {
      String fromEnv = env.get("STRIPE_API_KEY");
      if (fromEnv == null || fromEnv.isBlank()) {
        throw new UsageException("STRIPE_API_KEY is set but empty: set it to your key, or unset it"
            + " to run the demo against the bundled emulator");
      }
      o.apiKey = fromEnv.trim();
    }
    if (o.apiKey != null && o.apiKey.isBlank()) {
      throw new UsageException("--api-key is empty: give your key, or leave the flag out to run"
          + " the demo against the bundled emulator");
    }
    if (o.apiKey == null) {
      if (o.apiBase != null) {
        throw new UsageException("--api-base needs a key: give --api-key or STRIPE_API_KEY (the"
            + " demo, without a key, uses its own emulator)");
      }
      o.demo = true;
      return;
    }
    if (!o.apiKey.matches("(sk|rk)_(test|live)_[A-Za-z0-9_]+")) {
      throw new UsageException("the API key is not a Stripe secret key (sk_test_…, sk_live_…) or"
          + " restricted key (rk_…)");
    }
    if (o.apiBase != null) {
      try {
        URI uri = new URI(o.apiBase);
        if (uri.getScheme() == null || uri.getHost() == null
            || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
          throw new URISyntaxException(o.apiBase, "not an http(s) URL with a host");
        }
      } catch (URISyntaxException e) {
        throw new UsageException("--api-base takes an http(s) URL such as https://api.stripe.com,"
            + " got '" + mask(o.apiBase) + "'");
      }
    }
  }

  private static void proxy(Options o, String proxy, String passwordEnv,
      Map<String, String> env) {
    if (proxy == null) {
      if (passwordEnv != null) {
        throw new UsageException("--proxy-password-env is given without --proxy");
      }
      return;
    }
    URI uri;
    try {
      uri = new URI(proxy.contains("://") ? proxy : "http://" + proxy);
    } catch (URISyntaxException e) {
      throw new UsageException("--proxy takes http://[user@]host:port, got '" + mask(proxy) + "'");
    }
    if (uri.getHost() == null || uri.getPort() < 1) {
      throw new UsageException("--proxy takes http://[user@]host:port with a port, got '"
          + mask(proxy) + "'");
    }
    String userInfo = uri.getUserInfo();
    if (userInfo != null && userInfo.contains(":")) {
      throw new UsageException("--proxy must not hold the password (it would show in the process"
          + " list): put it in an environment variable and name it with --proxy-password-env");
    }
    o.proxyHost = uri.getHost();
    o.proxyPort = uri.getPort();
    o.proxyUser = userInfo;
    if (userInfo != null) {
      if (passwordEnv == null) {
        throw new UsageException("--proxy names user '" + userInfo + "': give the environment"
            + " variable holding the password with --proxy-password-env NAME");
      }
      String password = env.get(passwordEnv);
      if (password == null || password.isEmpty()) {
        throw new UsageException("--proxy-password-env names " + passwordEnv + ", which is not set"
            + " or empty");
      }
      o.proxyPassword = password;
    } else if (passwordEnv != null) {
      throw new UsageException("--proxy-password-env is given but --proxy names no user:"
          + " use http://user@host:port");
    }
  }

  /** A URL with any user information masked. */
  private static String mask(String text) {
    return text.replaceAll("(?<=://)[^@/]*@", "****@").replaceAll("(sk|rk)_(live|test)_\\w+", "$1_$2_****");
  }

  private static String resource(String name, String flag) {
    if (StripeCatalog.find(name).isEmpty()) {
      throw new UsageException("unknown resource '" + name + "' in " + flag + "; known: "
          + String.join(", ", StripeCatalog.all().stream().map(StripeResource::name).toList()));
    }
    return name;
  }

  private static int number(String flag, String value, int min, int max) {
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(flag + " takes a whole number, got '" + value + "'");
    }
    if (n < min || n > max) {
      throw new UsageException(flag + " must be " + min + " to " + max + ", got " + n);
    }
    return n;
  }
}
