package dev.sluice.xdm.mapping.internal.expr;

import static dev.sluice.xdm.mapping.internal.expr.Values.bool;
import static dev.sluice.xdm.mapping.internal.expr.Values.integer;
import static dev.sluice.xdm.mapping.internal.expr.Values.list;
import static dev.sluice.xdm.mapping.internal.expr.Values.num;
import static dev.sluice.xdm.mapping.internal.expr.Values.record;
import static dev.sluice.xdm.mapping.internal.expr.Values.str;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonFormatException;
import dev.sluice.xdm.JsonValues;
import dev.sluice.xdm.mapping.internal.EvalException;
import dev.sluice.xdm.mapping.internal.Path;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.zip.CRC32;

/**
 * The function library of calculated fields: Data Prep's string, regex, hashing, URL, date,
 * object/map, array, logic, aggregation and conversion functions, plus Stripe helpers ({@code
 * from_unix_seconds}, {@code from_unix_millis}, {@code from_minor_units}, {@code to_minor_units}).
 *
 * <p>Unless noted, a {@code null} first argument gives {@code null} (no warning), and an argument of
 * the wrong type fails the expression (a warning, and the field set to {@code null}).
 */
public final class Functions {
  /** A function's implementation over evaluated arguments. */
  interface Impl {
    Object apply(Object[] args, DataRecord record);
  }

  /** A function that evaluates its own arguments (for {@code iif} and the path form of contains_key). */
  interface LazyImpl {
    Object apply(Node[] args, DataRecord record);
  }

  /** Checks constant arguments at compile time; returns a problem or {@code null}. */
  interface Check {
    String check(Node[] args);
  }

  /** A function definition. */
  static final class Fn {
    final String name;
    final int minArgs;
    final int maxArgs;
    final Impl impl;
    final LazyImpl lazyImpl;
    final boolean lazy;
    Check check;

    Fn(String name, int minArgs, int maxArgs, Impl impl, LazyImpl lazyImpl) {
      this.name = name;
      this.minArgs = minArgs;
      this.maxArgs = maxArgs;
      this.impl = impl;
      this.lazyImpl = lazyImpl;
      this.lazy = lazyImpl != null;
    }

    String checkConstants(Node[] args) {
      return check == null ? null : check.check(args);
    }
  }

  private static final Map<String, Fn> FUNCTIONS = new HashMap<>();
  private static final int VARARGS = Integer.MAX_VALUE;

  private Functions() {}

  /** The function of that name (case-insensitive), or {@code null}. */
  static Fn get(String name) {
    return FUNCTIONS.get(name.toLowerCase(Locale.ROOT));
  }

  /** The names of all functions, for documentation and tests. */
  public static Set<String> names() {
    return Collections.unmodifiableSet(FUNCTIONS.keySet());
  }

  private static Fn def(String name, int min, int max, Impl impl) {
    Fn fn = new Fn(name, min, max, impl, null);
    FUNCTIONS.put(name.toLowerCase(Locale.ROOT), fn);
    return fn;
  }

  private static void lazy(String name, int min, int max, LazyImpl impl) {
    FUNCTIONS.put(name.toLowerCase(Locale.ROOT), new Fn(name, min, max, null, impl));
  }

  private static void alias(String alias, String of) {
    FUNCTIONS.put(alias.toLowerCase(Locale.ROOT), FUNCTIONS.get(of));
  }

  private static Object arg(Object[] a, int i) {
    return i < a.length ? a[i] : null;
  }

  // ---- caches for patterns compiled from data (bounded; constant ones are checked at compile)

  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();
  private static final Map<String, DateTimeFormatter> FORMATTERS = new ConcurrentHashMap<>();

  /** A cache that grew past this many entries is emptied before the next one is added. */
  private static final int MAX_CACHED = 1000;

  /** The cached value for {@code key}, made (and cached) on a miss; {@code make} may throw. */
  private static <T> T cached(Map<String, T> cache, String key, java.util.function.Function<String, T> make) {
    T value = cache.get(key);
    if (value == null) {
      value = make.apply(key);
      if (cache.size() > MAX_CACHED) {
        cache.clear();
      }
      cache.put(key, value);
    }
    return value;
  }

  static Pattern pattern(String regex, String fn) {
    return cached(PATTERNS, regex, r -> {
      try {
        return Pattern.compile(r);
      } catch (PatternSyntaxException e) {
        throw new EvalException(fn + ": bad regular expression '" + r + "': " + e.getDescription());
      }
    });
  }

  static DateTimeFormatter formatter(String pattern, String fn) {
    return cached(FORMATTERS, pattern, p -> {
      try {
        return DateTimeFormatter.ofPattern(p, Locale.ROOT);
      } catch (IllegalArgumentException e) {
        throw new EvalException(fn + ": bad date pattern '" + p + "': " + e.getMessage());
      }
    });
  }

  private static Check constant(int index, String what, java.util.function.Function<String, String> test) {
    return args -> {
      if (index < args.length && args[index] instanceof Node.Literal) {
        Object v = ((Node.Literal) args[index]).value;
        if (v instanceof String) {
          String problem = test.apply((String) v);
          return problem == null ? null : what + " " + problem;
        }
      }
      return null;
    };
  }

  private static final Check REGEX_ARG1 =
      constant(1, "regular expression", r -> {
        try {
          Pattern.compile(r);
          return null;
        } catch (PatternSyntaxException e) {
          return "'" + r + "' does not compile: " + e.getDescription();
        }
      });

  private static String checkPattern(String p) {
    try {
      DateTimeFormatter.ofPattern(p);
      return null;
    } catch (IllegalArgumentException e) {
      return "'" + p + "' is not valid: " + e.getMessage();
    }
  }

  private static String checkCharset(String c) {
    return Charset.isSupported(c) ? null : "'" + c + "' is not a known charset";
  }

  private static String checkZone(String z) {
    try {
      ZoneId.of(z);
      return null;
    } catch (DateTimeException e) {
      return "'" + z + "' is not a known time zone";
    }
  }

  static {
    strings();
    regexes();
    hashes();
    urls();
    dates();
    objects();
    arrays();
    logic();
    conversions();
    stripe();
  }

  // ------------------------------------------------------------------ strings

  private static void strings() {
    def("concat", 1, VARARGS, (a, r) -> {
      StringBuilder b = new StringBuilder();
      boolean any = false;
      for (Object o : a) {
        if (o != null) {
          b.append(str(o, "concat", "an argument"));
          any = true;
        }
      }
      return any ? b.toString() : null;
    });
    def("explode", 1, 2, (a, r) -> {
      String s = str(a[0], "explode", "STRING");
      String regex = a.length > 1 && a[1] != null ? str(a[1], "explode", "REGEX") : ",";
      return s == null ? null : List.<Object>of((Object[]) pattern(regex, "explode").split(s));
    }).check = REGEX_ARG1;
    def("instr", 2, 4, (a, r) -> {
      String s = str(a[0], "instr", "INPUT");
      String sub = str(a[1], "instr", "SUBSTRING");
      if (s == null || sub == null) {
        return null;
      }
      Integer start = a.length > 2 && a[2] != null ? integer(a[2], "instr", "START_POSITION") : 0;
      Integer occurrence = a.length > 3 && a[3] != null ? integer(a[3], "instr", "OCCURRENCE") : 1;
      if (start < 0 || occurrence < 1) {
        throw new EvalException("instr: START_POSITION must be 0 or more and OCCURRENCE 1 or more");
      }
      int at = start - 1;
      for (int k = 0; k < occurrence; k++) {
        at = s.indexOf(sub, at + 1);
        if (at < 0) {
          return -1L;
        }
      }
      return (long) at;
    });
    def("replacestr", 3, 3, (a, r) -> {
      String s = str(a[0], "replacestr", "INPUT");
      String find = str(a[1], "replacestr", "TO_FIND");
      String repl = str(a[2], "replacestr", "TO_REPLACE");
      return s == null ? null : find == null ? s : s.replace(find, repl == null ? "" : repl);
    });
    def("substr", 2, 3, (a, r) -> {
      String s = str(a[0], "substr", "INPUT");
      Integer start = integer(a[1], "substr", "START_INDEX");
      if (s == null || start == null) {
        return null;
      }
      Integer len = a.length > 2 && a[2] != null ? integer(a[2], "substr", "LENGTH") : s.length();
      if (start < 0 || len < 0) {
        throw new EvalException("substr: START_INDEX and LENGTH must not be negative");
      }
      if (start >= s.length()) {
        return "";
      }
      return s.substring(start, (int) Math.min((long) start + len, s.length()));
    });
    def("lower", 1, 1, (a, r) -> {
      String s = str(a[0], "lower", "INPUT");
      return s == null ? null : s.toLowerCase(Locale.ROOT);
    });
    alias("lcase", "lower");
    def("upper", 1, 1, (a, r) -> {
      String s = str(a[0], "upper", "INPUT");
      return s == null ? null : s.toUpperCase(Locale.ROOT);
    });
    alias("ucase", "upper");
    def("split", 2, 2, (a, r) -> {
      String s = str(a[0], "split", "INPUT");
      String sep = str(a[1], "split", "SEPARATOR");
      if (s == null) {
        return null;
      }
      if (sep == null || sep.isEmpty()) {
        throw new EvalException("split: SEPARATOR must not be empty");
      }
      return List.<Object>of((Object[]) s.split(Pattern.quote(sep)));
    });
    def("join", 2, VARARGS, (a, r) -> {
      String sep = str(a[0], "join", "SEPARATOR");
      StringBuilder b = new StringBuilder();
      boolean first = true;
      for (int i = 1; i < a.length; i++) {
        List<?> items = a[i] instanceof List ? (List<?>) a[i] : Collections.singletonList(a[i]);
        for (Object o : items) {
          if (o == null) {
            continue;
          }
          if (!first && sep != null) {
            b.append(sep);
          }
          b.append(str(o, "join", "a value"));
          first = false;
        }
      }
      return b.toString();
    });
    def("lpad", 2, 3, (a, r) -> pad(a, true));
    def("rpad", 2, 3, (a, r) -> pad(a, false));
    def("left", 2, 2, (a, r) -> {
      String s = str(a[0], "left", "INPUT");
      Integer n = integer(a[1], "left", "COUNT");
      if (s == null || n == null) {
        return null;
      }
      if (n < 0) {
        throw new EvalException("left: COUNT must not be negative");
      }
      return s.substring(0, Math.min(n, s.length()));
    });
    def("right", 2, 2, (a, r) -> {
      String s = str(a[0], "right", "INPUT");
      Integer n = integer(a[1], "right", "COUNT");
      if (s == null || n == null) {
        return null;
      }
      if (n < 0) {
        throw new EvalException("right: COUNT must not be negative");
      }
      return s.substring(s.length() - Math.min(n, s.length()));
    });
    def("ltrim", 1, 1, (a, r) -> {
      String s = str(a[0], "ltrim", "INPUT");
      return s == null ? null : s.replaceAll("^\\s+", "");
    });
    def("rtrim", 1, 1, (a, r) -> {
      String s = str(a[0], "rtrim", "INPUT");
      return s == null ? null : s.replaceAll("\\s+$", "");
    });
    def("trim", 1, 1, (a, r) -> {
      String s = str(a[0], "trim", "INPUT");
      return s == null ? null : s.strip();
    });
    def("equals", 2, 2, (a, r) -> {
      String x = str(a[0], "equals", "STRING1");
      String y = str(a[1], "equals", "STRING2");
      return x == null ? y == null : x.equals(y);
    });
    def("equalsIgnoreCase", 2, 2, (a, r) -> {
      String x = str(a[0], "equalsIgnoreCase", "STRING1");
      String y = str(a[1], "equalsIgnoreCase", "STRING2");
      return x == null ? y == null : x.equalsIgnoreCase(y);
    });
  }

  private static Object pad(Object[] a, boolean left) {
    String fn = left ? "lpad" : "rpad";
    String s = str(a[0], fn, "INPUT");
    Integer count = integer(a[1], fn, "COUNT");
    if (s == null || count == null) {
      return null;
    }
    String padding = a.length > 2 && a[2] != null ? str(a[2], fn, "PADDING") : " ";
    if (padding.isEmpty()) {
      throw new EvalException(fn + ": PADDING must not be empty");
    }
    int missing = count - s.length();
    if (missing <= 0) {
      return s;
    }
    StringBuilder fill = new StringBuilder(missing);
    while (fill.length() < missing) {
      fill.append(padding, 0, Math.min(padding.length(), missing - fill.length()));
    }
    return left ? fill + s : s + fill;
  }

  // ------------------------------------------------------------------ regex

  private static void regexes() {
    def("extract_regex", 2, 2, (a, r) -> {
      String s = str(a[0], "extract_regex", "STRING");
      String regex = str(a[1], "extract_regex", "REGEX");
      if (s == null || regex == null) {
        return null;
      }
      Matcher m = pattern(regex, "extract_regex").matcher(s);
      if (!m.find()) {
        return null;
      }
      List<Object> groups = new ArrayList<>(m.groupCount() + 1);
      for (int i = 0; i <= m.groupCount(); i++) {
        groups.add(m.group(i));
      }
      return Collections.unmodifiableList(groups);
    }).check = REGEX_ARG1;
    def("matches_regex", 2, 2, (a, r) -> {
      String s = str(a[0], "matches_regex", "STRING");
      String regex = str(a[1], "matches_regex", "REGEX");
      if (s == null || regex == null) {
        return null;
      }
      return pattern(regex, "matches_regex").matcher(s).matches();
    }).check = REGEX_ARG1;
  }

  // ------------------------------------------------------------------ hashing

  private static void hashes() {
    hash("sha1", "SHA-1");
    hash("sha256", "SHA-256");
    hash("sha512", "SHA-512");
    hash("md5", "MD5");
    def("crc32", 1, 2, (a, r) -> {
      String s = str(a[0], "crc32", "INPUT");
      if (s == null) {
        return null;
      }
      CRC32 crc = new CRC32();
      crc.update(s.getBytes(charset(a, "crc32")));
      return Long.toHexString(crc.getValue());
    }).check = constant(1, "charset", Functions::checkCharset);
  }

  private static void hash(String name, String algorithm) {
    def(name, 1, 2, (a, r) -> {
      String s = str(a[0], name, "INPUT");
      if (s == null) {
        return null;
      }
      try {
        MessageDigest md = MessageDigest.getInstance(algorithm);
        return HexFormat.of().formatHex(md.digest(s.getBytes(charset(a, name))));
      } catch (NoSuchAlgorithmException e) {
        throw new EvalException(name + ": " + algorithm + " is not available in this JVM");
      }
    }).check = constant(1, "charset", Functions::checkCharset);
  }

  private static Charset charset(Object[] a, String fn) {
    if (a.length < 2 || a[1] == null) {
      return StandardCharsets.UTF_8;
    }
    String name = str(a[1], fn, "CHARSET");
    try {
      return Charset.forName(name);
    } catch (IllegalArgumentException e) {
      throw new EvalException(fn + ": '" + name + "' is not a known charset");
    }
  }

  // ------------------------------------------------------------------ URLs

  private static URI uri(Object v, String fn) {
    String s = str(v, fn, "URL");
    if (s == null) {
      return null;
    }
    try {
      return new URI(s);
    } catch (URISyntaxException e) {
      throw new EvalException(fn + ": '" + s + "' is not a valid URL: " + e.getReason());
    }
  }

  private static void urls() {
    def("get_url_protocol", 1, 1, (a, r) -> {
      URI u = uri(a[0], "get_url_protocol");
      return u == null ? null : u.getScheme();
    });
    def("get_url_host", 1, 1, (a, r) -> {
      URI u = uri(a[0], "get_url_host");
      return u == null ? null : u.getHost();
    });
    def("get_url_port", 1, 1, (a, r) -> {
      URI u = uri(a[0], "get_url_port");
      if (u == null) {
        return null;
      }
      if (u.getPort() >= 0) {
        return (long) u.getPort();
      }
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      switch (scheme) {
        case "http":
        case "ws":
          return 80L;
        case "https":
        case "wss":
          return 443L;
        case "ftp":
          return 21L;
        case "sftp":
        case "ssh":
          return 22L;
        default:
          return null;
      }
    });
    def("get_url_path", 1, 1, (a, r) -> {
      URI u = uri(a[0], "get_url_path");
      return u == null ? null : u.getPath();
    });
    def("get_url_query_str", 1, 1, (a, r) -> {
      URI u = uri(a[0], "get_url_query_str");
      if (u == null) {
        return null;
      }
      DataRecord.Builder b = DataRecord.builder();
      String q = u.getRawQuery();
      if (q != null && !q.isEmpty()) {
        for (String pair : q.split("&")) {
          if (pair.isEmpty()) {
            continue;
          }
          int eq = pair.indexOf('=');
          String k = eq < 0 ? pair : pair.substring(0, eq);
          String v = eq < 0 ? "" : pair.substring(eq + 1);
          b.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
      }
      return b.build();
    });
    def("get_url_encoded", 1, 2, (a, r) -> {
      String s = str(a[0], "get_url_encoded", "URL");
      return s == null ? null : URLEncoder.encode(s, charset(a, "get_url_encoded"));
    }).check = constant(1, "charset", Functions::checkCharset);
    def("get_url_decoded", 1, 2, (a, r) -> {
      String s = str(a[0], "get_url_decoded", "URL");
      if (s == null) {
        return null;
      }
      try {
        return URLDecoder.decode(s, charset(a, "get_url_decoded"));
      } catch (IllegalArgumentException e) {
        throw new EvalException("get_url_decoded: '" + s + "' is not URL-encoded: " + e.getMessage());
      }
    }).check = constant(1, "charset", Functions::checkCharset);
  }

  // ------------------------------------------------------------------ dates

  private static final DateTimeFormatter[] DEFAULT_DATE_FORMATS = {
    DateTimeFormatter.ISO_OFFSET_DATE_TIME,
    DateTimeFormatter.ISO_ZONED_DATE_TIME,
    DateTimeFormatter.ISO_LOCAL_DATE_TIME,
    DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT),
    DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT),
    DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT),
    DateTimeFormatter.ISO_LOCAL_DATE,
  };

  /** A value as a date-time: date-times as they are, strings parsed, numbers as epoch millis. */
  static ZonedDateTime dateTime(Object v, String fn) {
    if (v == null || v instanceof ZonedDateTime) {
      return (ZonedDateTime) v;
    }
    if (v instanceof String) {
      String s = ((String) v).trim();
      for (DateTimeFormatter f : DEFAULT_DATE_FORMATS) {
        try {
          return toZoned(f.parseBest(s, ZonedDateTime::from, LocalDateTime::from, LocalDate::from));
        } catch (DateTimeParseException e) {
          // try the next form
        }
      }
      throw new EvalException(fn + ": '" + s + "' is not a date or date-time that can be read");
    }
    if (Values.isNumber(v)) {
      return Instant.ofEpochMilli(toLong(v, fn)).atZone(ZoneOffset.UTC);
    }
    throw Values.wrongType(fn, "DATE", "a date-time", v);
  }

  private static long toLong(Object v, String fn) {
    try {
      return Values.big(num(v, fn, "the number")).longValueExact();
    } catch (ArithmeticException e) {
      throw new EvalException(fn + ": " + v + " is not a whole number of milliseconds or seconds");
    }
  }

  private static ZonedDateTime toZoned(TemporalAccessor t) {
    if (t instanceof ZonedDateTime) {
      return (ZonedDateTime) t;
    }
    if (t instanceof LocalDateTime) {
      return ((LocalDateTime) t).atZone(ZoneOffset.UTC);
    }
    return ((LocalDate) t).atStartOfDay(ZoneOffset.UTC);
  }

  private static ZoneId zone(Object v, String fn) {
    String z = str(v, fn, "ZONE");
    try {
      return ZoneId.of(z);
    } catch (DateTimeException e) {
      throw new EvalException(fn + ": '" + z + "' is not a known time zone");
    }
  }

  private static void dates() {
    def("now", 0, 0, (a, r) -> ZonedDateTime.now(ZoneOffset.UTC));
    def("timestamp", 0, 0, (a, r) -> System.currentTimeMillis());
    def("format", 2, 2, (a, r) -> {
      ZonedDateTime d = dateTime(a[0], "format");
      String p = str(a[1], "format", "FORMAT");
      if (d == null || p == null) {
        return null;
      }
      return formatter(p, "format").format(d);
    }).check = constant(1, "date pattern", Functions::checkPattern);
    def("dformat", 2, 2, (a, r) -> {
      if (a[0] == null || a[1] == null) {
        return null;
      }
      long millis = toLong(a[0], "dformat");
      String p = str(a[1], "dformat", "FORMAT");
      return formatter(p, "dformat").format(Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC));
    }).check = constant(1, "date pattern", Functions::checkPattern);
    def("date", 1, 3, (a, r) -> {
      if (a[0] == null) {
        return arg(a, 2) == null ? null : dateTime(a[2], "date");
      }
      try {
        if (a.length == 1 || a[1] == null) {
          return dateTime(a[0], "date");
        }
        String s = str(a[0], "date", "DATE");
        String p = str(a[1], "date", "FORMAT");
        DateTimeFormatter f = formatter(p, "date");
        try {
          return toZoned(f.parseBest(s, ZonedDateTime::from, LocalDateTime::from, LocalDate::from));
        } catch (DateTimeParseException e) {
          throw new EvalException("date: '" + s + "' does not match the pattern '" + p + "'");
        }
      } catch (EvalException e) {
        if (a.length > 2 && a[2] != null) {
          return dateTime(a[2], "date");
        }
        throw e;
      }
    }).check = constant(1, "date pattern", Functions::checkPattern);
    def("date_part", 2, 2, (a, r) -> {
      String part = str(a[0], "date_part", "COMPONENT");
      ZonedDateTime d = dateTime(a[1], "date_part");
      if (part == null || d == null) {
        return null;
      }
      switch (part.toLowerCase(Locale.ROOT)) {
        case "year":
        case "yyyy":
        case "yy":
          return (long) d.getYear();
        case "quarter":
        case "qq":
        case "q":
          return (long) d.get(IsoFields.QUARTER_OF_YEAR);
        case "month":
        case "mm":
        case "m":
          return (long) d.getMonthValue();
        case "dayofyear":
        case "dy":
        case "y":
          return (long) d.getDayOfYear();
        case "day":
        case "dd":
        case "d":
          return (long) d.getDayOfMonth();
        case "week":
        case "ww":
        case "w":
          return (long) d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        case "weekday":
        case "dw":
          return (long) (d.getDayOfWeek().getValue() % 7 + 1); // Sunday 1 ... Saturday 7
        case "hour":
        case "hh":
        case "hh24":
          return (long) d.getHour();
        case "hh12":
          return (long) (d.getHour() % 12 == 0 ? 12 : d.getHour() % 12);
        case "minute":
        case "mi":
        case "n":
          return (long) d.getMinute();
        case "second":
        case "ss":
        case "s":
          return (long) d.getSecond();
        case "millisecond":
        case "sss":
        case "ms":
          return (long) d.get(ChronoField.MILLI_OF_SECOND);
        default:
          throw new EvalException("date_part: unknown COMPONENT '" + part + "'");
      }
    });
    def("set_date_part", 3, 3, (a, r) -> {
      String part = str(a[0], "set_date_part", "COMPONENT");
      Integer value = integer(a[1], "set_date_part", "VALUE");
      ZonedDateTime d = dateTime(a[2], "set_date_part");
      if (part == null || value == null || d == null) {
        return null;
      }
      try {
        switch (part.toLowerCase(Locale.ROOT)) {
          case "year":
          case "yyyy":
          case "yy":
            return d.withYear(value);
          case "month":
          case "mm":
          case "m":
            return d.withMonth(value);
          case "day":
          case "dd":
          case "d":
            return d.withDayOfMonth(value);
          case "hour":
          case "hh":
            return d.withHour(value);
          case "minute":
          case "mi":
          case "n":
            return d.withMinute(value);
          case "second":
          case "ss":
          case "s":
            return d.withSecond(value);
          default:
            throw new EvalException("set_date_part: unknown COMPONENT '" + part + "'");
        }
      } catch (DateTimeException e) {
        throw new EvalException("set_date_part: " + e.getMessage());
      }
    });
    def("make_date_time", 3, 8, (a, r) -> {
      int[] parts = new int[7];
      for (int i = 0; i < 7; i++) {
        if (i < a.length && i < 3 && a[i] == null) {
          return null;
        }
        Integer v = i < a.length ? integer(a[i], "make_date_time", "part " + (i + 1)) : null;
        parts[i] = v == null ? 0 : v;
      }
      ZoneId z = a.length > 7 && a[7] != null ? zone(a[7], "make_date_time") : ZoneOffset.UTC;
      try {
        return ZonedDateTime.of(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6], z);
      } catch (DateTimeException e) {
        throw new EvalException("make_date_time: " + e.getMessage());
      }
    }).check = constant(7, "time zone", Functions::checkZone);
    def("zone_date_to_utc", 1, 1, (a, r) -> {
      ZonedDateTime d = dateTime(a[0], "zone_date_to_utc");
      return d == null ? null : d.withZoneSameInstant(ZoneOffset.UTC);
    });
    def("zone_date_to_zone", 2, 2, (a, r) -> {
      ZonedDateTime d = dateTime(a[0], "zone_date_to_zone");
      return d == null || a[1] == null ? null : d.withZoneSameInstant(zone(a[1], "zone_date_to_zone"));
    }).check = constant(1, "time zone", Functions::checkZone);
  }

  // ------------------------------------------------------------------ objects and maps

  private static boolean isEmpty(Object v) {
    return v == null
        || v instanceof String && ((String) v).isEmpty()
        || v instanceof List && ((List<?>) v).isEmpty()
        || v instanceof DataRecord && ((DataRecord) v).isEmpty();
  }

  private static DataRecord pairs(Object[] a, int from, String fn) {
    if ((a.length - from) % 2 != 0) {
      throw new EvalException(fn + ": keys and values must come in pairs");
    }
    DataRecord.Builder b = DataRecord.builder();
    for (int i = from; i < a.length; i += 2) {
      String k = str(a[i], fn, "KEY");
      if (k == null) {
        throw new EvalException(fn + ": a KEY is null");
      }
      b.put(k, Values.toJson(a[i + 1]));
    }
    return b.build();
  }

  private static final Check EVEN_ARGS =
      args -> args.length % 2 == 0 || args.length == 1 ? null : "takes keys and values in pairs";

  private static void objects() {
    def("is_empty", 1, 1, (a, r) -> isEmpty(a[0]));
    def("to_object", 2, VARARGS, (a, r) -> pairs(a, 0, "to_object")).check =
        args -> args.length % 2 == 0 ? null : "takes keys and values in pairs";
    def("str_to_object", 1, 3, (a, r) -> {
      String s = str(a[0], "str_to_object", "STRING");
      if (s == null) {
        return null;
      }
      String valueDelim = a.length > 1 && a[1] != null ? str(a[1], "str_to_object", "VALUE_DELIMITER") : ":";
      String fieldDelim = a.length > 2 && a[2] != null ? str(a[2], "str_to_object", "FIELD_DELIMITER") : ",";
      DataRecord.Builder b = DataRecord.builder();
      for (String field : s.split(Pattern.quote(fieldDelim))) {
        if (field.isBlank()) {
          continue;
        }
        int at = field.indexOf(valueDelim);
        String k = (at < 0 ? field : field.substring(0, at)).trim();
        String v = at < 0 ? "" : field.substring(at + valueDelim.length()).trim();
        b.put(k, v);
      }
      return b.build();
    });
    lazy("contains_key", 1, 2, (args, r) -> {
      if (args.length == 1) {
        if (args[0] instanceof Node.PathRef) {
          return Path.read(r, ((Node.PathRef) args[0]).segments, 1) != Path.ABSENT;
        }
        String p = str(args[0].eval(r), "contains_key", "KEY");
        if (p == null) {
          return false;
        }
        Path path;
        try {
          path = Path.parse(p);
        } catch (IllegalArgumentException e) {
          throw new EvalException("contains_key: bad path '" + p + "': " + e.getMessage());
        }
        Path.Segment first = path.segments()[0];
        if (first.isName() && first.name.equals("data")) {
          return Path.read(r, path.segments(), 1) != Path.ABSENT;
        }
        return Path.read(r, path.segments(), 0) != Path.ABSENT;
      }
      DataRecord obj = record(args[0].eval(r), "contains_key", "OBJECT");
      String key = str(args[1].eval(r), "contains_key", "KEY");
      return obj != null && key != null && obj.has(key);
    });
    def("nullify", 0, 0, (a, r) -> null);
    def("get_keys", 1, 1, (a, r) -> {
      DataRecord o = record(a[0], "get_keys", "OBJECT");
      return o == null ? null : List.<Object>copyOf(o.keys());
    });
    def("get_values", 1, 1, (a, r) -> {
      DataRecord o = record(a[0], "get_values", "OBJECT");
      return o == null ? null : Collections.unmodifiableList(new ArrayList<>(o.asMap().values()));
    });
    def("map_get_values", 2, VARARGS, (a, r) -> {
      DataRecord o = record(a[0], "map_get_values", "MAP");
      if (o == null) {
        return null;
      }
      if (a.length == 2 && !(a[1] instanceof List)) {
        return o.get(str(a[1], "map_get_values", "KEY"));
      }
      List<Object> out = new ArrayList<>();
      for (Object k : keysOf(a)) {
        out.add(o.get(str(k, "map_get_values", "KEY")));
      }
      return Collections.unmodifiableList(out);
    });
    def("map_has_keys", 2, VARARGS, (a, r) -> {
      DataRecord o = record(a[0], "map_has_keys", "MAP");
      if (o == null) {
        return false;
      }
      for (Object k : keysOf(a)) {
        if (k != null && o.has(str(k, "map_has_keys", "KEY"))) {
          return true;
        }
      }
      return false;
    });
    def("add_to_map", 1, VARARGS, (a, r) -> {
      DataRecord.Builder b = DataRecord.builder();
      for (Object m : a) {
        DataRecord o = record(m, "add_to_map", "MAP");
        if (o != null) {
          o.asMap().forEach(b::put);
        }
      }
      return b.build();
    });
    def("object_to_map", 1, VARARGS, (a, r) -> {
      if (a.length == 1) {
        return record(a[0], "object_to_map", "OBJECT");
      }
      return pairs(a, 0, "object_to_map");
    }).check = EVEN_ARGS;
    alias("to_map", "object_to_map");
    def("array_to_map", 2, 3, (a, r) -> {
      List<Object> items = list(a[0], "array_to_map", "INPUTS");
      String key = str(a[1], "array_to_map", "KEY");
      if (items == null || key == null) {
        return null;
      }
      String valueKey = a.length > 2 && a[2] != null ? str(a[2], "array_to_map", "VALUE_KEY") : null;
      DataRecord.Builder b = DataRecord.builder();
      for (Object item : items) {
        DataRecord o = record(item, "array_to_map", "an element of INPUTS");
        if (o == null || o.get(key) == null) {
          continue;
        }
        b.put(str(o.get(key), "array_to_map", "the key value"), valueKey == null ? o : o.get(valueKey));
      }
      return b.build();
    });
    def("json_to_object", 1, 1, (a, r) -> {
      String s = str(a[0], "json_to_object", "STRING");
      if (s == null) {
        return null;
      }
      try {
        return JsonValues.parse(s);
      } catch (JsonFormatException e) {
        throw new EvalException("json_to_object: " + e.getMessage());
      }
    });
  }

  /** The keys given after the map: single keys and arrays of keys, flattened. */
  private static List<Object> keysOf(Object[] a) {
    List<Object> keys = new ArrayList<>();
    for (int i = 1; i < a.length; i++) {
      if (a[i] instanceof List) {
        keys.addAll((List<?>) a[i]);
      } else {
        keys.add(a[i]);
      }
    }
    return keys;
  }

  // ------------------------------------------------------------------ arrays

  private static void arrays() {
    def("coalesce", 1, VARARGS, (a, r) -> {
      for (Object o : a) {
        if (o != null) {
          return o;
        }
      }
      return null;
    });
    def("first", 1, 1, (a, r) -> {
      List<Object> l = list(a[0], "first", "INPUT");
      return l == null || l.isEmpty() ? null : l.get(0);
    });
    def("last", 1, 1, (a, r) -> {
      List<Object> l = list(a[0], "last", "INPUT");
      return l == null || l.isEmpty() ? null : l.get(l.size() - 1);
    });
    def("add_to_array", 1, VARARGS, (a, r) -> {
      List<Object> l = list(a[0], "add_to_array", "ARRAY");
      List<Object> out = new ArrayList<>(l == null ? List.of() : l);
      for (int i = 1; i < a.length; i++) {
        out.add(a[i]);
      }
      return Collections.unmodifiableList(out);
    });
    def("join_arrays", 1, VARARGS, (a, r) -> {
      List<Object> out = new ArrayList<>();
      for (Object o : a) {
        List<Object> l = list(o, "join_arrays", "ARRAY");
        if (l != null) {
          out.addAll(l);
        }
      }
      return Collections.unmodifiableList(out);
    });
    def("to_array", 1, VARARGS, (a, r) -> {
      Boolean includeNulls = bool(a[0], "to_array", "INCLUDE_NULLS");
      List<Object> out = new ArrayList<>();
      for (int i = 1; i < a.length; i++) {
        if (a[i] != null || Boolean.TRUE.equals(includeNulls)) {
          out.add(a[i]);
        }
      }
      return Collections.unmodifiableList(out);
    });
    def("size_of", 1, 1, (a, r) -> {
      Object v = a[0];
      if (v == null) {
        return null;
      }
      if (v instanceof List) {
        return (long) ((List<?>) v).size();
      }
      if (v instanceof DataRecord) {
        return (long) ((DataRecord) v).size();
      }
      if (v instanceof String) {
        return (long) ((String) v).length();
      }
      throw Values.wrongType("size_of", "INPUT", "an array, an object or a string", v);
    });
  }

  // ------------------------------------------------------------------ logic and aggregation

  private static void logic() {
    def("decode", 3, VARARGS, (a, r) -> {
      Object key = a[0];
      int i = 1;
      for (; i + 1 < a.length; i += 2) {
        if (Values.same(key, a[i])) {
          return a[i + 1];
        }
      }
      return i < a.length ? a[i] : null;
    });
    lazy("iif", 3, 3, (args, r) -> {
      Boolean test = bool(args[0].eval(r), "iif", "EXPRESSION");
      return test != null && test ? args[1].eval(r) : args[2].eval(r);
    });
    def("min", 1, VARARGS, (a, r) -> extreme(a, "min", -1));
    def("max", 1, VARARGS, (a, r) -> extreme(a, "max", 1));
  }

  private static Object extreme(Object[] a, String fn, int sign) {
    Object best = null;
    for (Object o : a) {
      if (o == null) {
        continue;
      }
      if (best == null) {
        best = o;
        continue;
      }
      int c;
      if (Values.isNumber(o) && Values.isNumber(best)) {
        c = Values.compare((Number) o, (Number) best);
      } else if (o instanceof String && best instanceof String) {
        c = ((String) o).compareTo((String) best);
      } else if (o instanceof ZonedDateTime && best instanceof ZonedDateTime) {
        c = ((ZonedDateTime) o).compareTo((ZonedDateTime) best);
      } else {
        throw new EvalException(fn + ": cannot compare " + Values.describe(o) + " with " + Values.describe(best));
      }
      if (c * sign > 0) {
        best = o;
      }
    }
    if (best instanceof DataRecord || best instanceof List || best instanceof Boolean) {
      throw Values.wrongType(fn, "an argument", "a number, a string or a date", best);
    }
    return best;
  }

  // ------------------------------------------------------------------ conversions

  private static void conversions() {
    def("to_bigint", 1, 1, (a, r) -> {
      Number n = num(a[0], "to_bigint", "INPUT");
      return n == null ? null : Values.fromBigInteger(Values.big(n).setScale(0, RoundingMode.DOWN).toBigIntegerExact());
    });
    def("to_decimal", 1, 1, (a, r) -> {
      Number n = num(a[0], "to_decimal", "INPUT");
      return n == null ? null : Values.big(n);
    });
    def("to_float", 1, 1, (a, r) -> {
      Number n = num(a[0], "to_float", "INPUT");
      if (n == null) {
        return null;
      }
      float f = Values.big(n).floatValue();
      if (Float.isInfinite(f)) {
        throw new EvalException("to_float: " + n + " is out of float range");
      }
      return new BigDecimal(Float.toString(f));
    });
    def("to_integer", 1, 1, (a, r) -> {
      Number n = num(a[0], "to_integer", "INPUT");
      if (n == null) {
        return null;
      }
      BigInteger i = Values.big(n).setScale(0, RoundingMode.DOWN).toBigIntegerExact();
      if (i.bitLength() > 31) {
        throw new EvalException("to_integer: " + n + " is out of integer range");
      }
      return i.longValue();
    });
    def("uuid", 0, 0, (a, r) -> UUID.randomUUID().toString());
    alias("guid", "uuid");
  }

  // ------------------------------------------------------------------ Stripe helpers

  /** Stripe's zero-decimal currencies (amounts are whole units). */
  private static final Set<String> ZERO_DECIMAL =
      Set.of("bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf");

  /** Stripe's three-decimal currencies. */
  private static final Set<String> THREE_DECIMAL = Set.of("bhd", "jod", "kwd", "omr", "tnd");

  /** The number of decimals Stripe uses for a currency's minor unit. */
  public static int currencyExponent(String currency) {
    String c = currency.toLowerCase(Locale.ROOT);
    if (ZERO_DECIMAL.contains(c)) {
      return 0;
    }
    return THREE_DECIMAL.contains(c) ? 3 : 2;
  }

  private static String currency(Object v, String fn) {
    String c = str(v, fn, "CURRENCY");
    if (c != null && !c.matches("[A-Za-z]{3}")) {
      throw new EvalException(fn + ": '" + c + "' is not a three-letter ISO currency code");
    }
    return c;
  }

  private static void stripe() {
    def("from_unix_seconds", 1, 1, (a, r) -> {
      if (a[0] == null) {
        return null;
      }
      return Instant.ofEpochSecond(toLong(a[0], "from_unix_seconds")).atZone(ZoneOffset.UTC);
    });
    def("from_unix_millis", 1, 1, (a, r) -> {
      if (a[0] == null) {
        return null;
      }
      return Instant.ofEpochMilli(toLong(a[0], "from_unix_millis")).atZone(ZoneOffset.UTC);
    });
    def("from_minor_units", 2, 2, (a, r) -> {
      Number amount = num(a[0], "from_minor_units", "AMOUNT");
      String c = currency(a[1], "from_minor_units");
      if (amount == null || c == null) {
        return null;
      }
      if (!Values.isIntegral(amount)) {
        throw new EvalException("from_minor_units: AMOUNT " + amount + " is not a whole number of minor units");
      }
      return Values.big(amount).movePointLeft(currencyExponent(c));
    });
    def("to_minor_units", 2, 2, (a, r) -> {
      Number amount = num(a[0], "to_minor_units", "AMOUNT");
      String c = currency(a[1], "to_minor_units");
      if (amount == null || c == null) {
        return null;
      }
      BigDecimal minor = Values.big(amount).movePointRight(currencyExponent(c));
      try {
        return Values.fromBigInteger(minor.toBigIntegerExact());
      } catch (ArithmeticException e) {
        throw new EvalException(
            "to_minor_units: " + amount + " has more decimals than " + c.toUpperCase(Locale.ROOT) + " allows");
      }
    });
  }
}
