package imgsearch.crawl.source;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rules of one robots.txt for one user agent: the group naming the agent, else the {@code *} group;
 * longest matching Allow/Disallow prefix wins ({@code *} and {@code $} patterns understood), Allow on a tie.
 */
public final class RobotsTxt {

  private record Rule(String pattern, boolean allow) {}

  private final List<Rule> rules;
  private final Duration crawlDelay;

  private RobotsTxt(List<Rule> rules, Duration crawlDelay) {
    this.rules = rules;
    this.crawlDelay = crawlDelay;
  }

  /** Everything allowed (no robots.txt, or a 4xx for it). */
  public static RobotsTxt allowAll() {
    return new RobotsTxt(List.of(), Duration.ZERO);
  }

  /** Nothing allowed (robots.txt could not be read because the server failed). */
  public static RobotsTxt disallowAll() {
    return new RobotsTxt(List.of(new Rule("/", false)), Duration.ZERO);
  }

  /** Parses {@code text} for {@code userAgent} (matched by its product token, case-insensitive). */
  public static RobotsTxt parse(String text, String userAgent) {
    String token = userAgent.split("[/ ]", 2)[0].toLowerCase(Locale.ROOT);
    List<Rule> mine = new ArrayList<>();
    List<Rule> star = new ArrayList<>();
    Duration myDelay = null;
    Duration starDelay = null;
    boolean sawMine = false;
    List<String> agents = new ArrayList<>();
    boolean inRules = false;
    for (String raw : text.split("\\r?\\n|\\r")) {
      String line = raw.replaceFirst("#.*", "").strip();
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String field = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      if (field.equals("user-agent")) {
        if (inRules) {
          agents.clear();
          inRules = false;
        }
        agents.add(value.toLowerCase(Locale.ROOT));
        continue;
      }
      if (!field.equals("allow") && !field.equals("disallow") && !field.equals("crawl-delay")) {
        continue;
      }
      inRules = true;
      boolean forMe = agents.stream().anyMatch(a -> !a.equals("*") && token.startsWith(a));
      boolean forStar = agents.contains("*");
      sawMine |= forMe;
      if (field.equals("crawl-delay")) {
        Duration d = parseDelay(value);
        if (forMe) {
          myDelay = d;
        } else if (forStar) {
          starDelay = d;
        }
        continue;
      }
      if (value.isEmpty()) {
        continue; // "Disallow:" with nothing allows everything
      }
      Rule r = new Rule(value, field.equals("allow"));
      if (forMe) {
        mine.add(r);
      } else if (forStar) {
        star.add(r);
      }
    }
    Duration delay = sawMine ? myDelay : starDelay;
    return new RobotsTxt(List.copyOf(sawMine ? mine : star), delay == null ? Duration.ZERO : delay);
  }

  private static Duration parseDelay(String value) {
    try {
      return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Whether the path (and query) of {@code uri} may be fetched. */
  public boolean allows(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    int bestLength = -1;
    boolean allowed = true;
    for (Rule r : rules) {
      if (matches(r.pattern(), path)) {
        int len = r.pattern().length();
        if (len > bestLength || (len == bestLength && r.allow())) {
          bestLength = len;
          allowed = r.allow();
        }
      }
    }
    return allowed;
  }

  /** The Crawl-delay asked for, or zero. */
  public Duration crawlDelay() {
    return crawlDelay;
  }

  private static boolean matches(String pattern, String path) {
    boolean anchored = pattern.endsWith("$");
    String p = anchored ? pattern.substring(0, pattern.length() - 1) : pattern;
    StringBuilder regex = new StringBuilder();
    String[] parts = p.split("\\*", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        regex.append(".*");
      }
      regex.append(java.util.regex.Pattern.quote(parts[i]));
    }
    regex.append(anchored ? "" : ".*");
    return path.matches(regex.toString());
  }
}
