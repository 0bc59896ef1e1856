package dev.readthrough.runtime.internal.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A parsed {@code redis://} URI; its credentials never appear in messages. */
public record RedisAddress(
    String address, @Nullable String username, @Nullable String password, int database) {
  /**
   * Parses a {@code redis://} or {@code rediss://} URI.
   *
   * @throws IllegalArgumentException naming what is wrong, credentials hidden
   */
  public static RedisAddress parse(String uri) {
    return parse(uri, "redisUri");
  }

  /**
   * Parses a {@code redis://} or {@code rediss://} URI given as {@code setting}.
   *
   * @throws IllegalArgumentException naming the setting and what is wrong, credentials hidden
   */
  public static RedisAddress parse(String uri, String setting) {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(setting + " is not a URI: " + redact(uri));
    }
    String scheme = parsed.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
      throw new IllegalArgumentException(
          setting + " must start with redis:// or rediss://: " + redact(uri));
    }
    if (parsed.getHost() == null) {
      throw new IllegalArgumentException(setting + " has no host: " + redact(uri));
    }
    int port = parsed.getPort() == -1 ? 6379 : parsed.getPort();
    String username = null;
    String password = null;
    String userInfo = parsed.getUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        password = userInfo;
      } else {
        username = userInfo.substring(0, colon).isEmpty() ? null : userInfo.substring(0, colon);
        password = userInfo.substring(colon + 1);
      }
    }
    int database = 0;
    String path = parsed.getPath();
    if (path != null && path.length() > 1) {
      try {
        database = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(setting + " database must be a number: " + redact(uri));
      }
    }
    return new RedisAddress(
        scheme + "://" + parsed.getHost() + ":" + port, username, password, database);
  }

  @Override
  public String toString() {
    return "RedisAddress["
        + address
        + ", db "
        + database
        + (password != null ? ", with credentials" : "")
        + "]";
  }

  /** Returns the URIs, each {@linkplain #redact redacted}, as a list's text. */
  public static String redactAll(List<String> uris) {
    return uris.stream().map(RedisAddress::redact).toList().toString();
  }

  /** Returns {@code uri} with any user name and password replaced by {@code ***}. */
  public static String redact(String uri) {
    int scheme = uri.indexOf("://");
    int at = uri.lastIndexOf('@');
    if (scheme >= 0 && at > scheme) {
      return uri.substring(0, scheme + 3) + "***@" + uri.substring(at + 1);
    }
    return uri;
  }
}
