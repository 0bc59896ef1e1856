package dev.readthrough.runtime.internal.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.redisson.config.BaseConfig;
import org.redisson.config.Config;
import org.redisson.config.ConfigSupport;
import org.redisson.config.SingleServerConfig;
import org.redisson.misc.RedisURI;

/**
 * A cheap look at a single {@code redis://} server on a plain socket, made before the Redisson
 * client exists and at each probe while Redis is down: TCP connect, {@code PING}, and {@code AUTH}
 * if credentials are configured. It says which of connection refused, timed out, not a Redis server
 * or authentication refused stands in the way, where Redisson says "Unable to connect" for all of
 * them, and while nothing answers no Redisson client is created, so Redisson writes nothing to the
 * log.
 *
 * <p>Credentials are sent only after the server answered {@code PING} as Redis does, and no reply
 * is ever quoted back: an endpoint that is not Redis could echo what it was sent.
 */
public final class Preflight {

  /** Longest reply line read; Redis's replies to these commands are far shorter. */
  private static final int MAX_LINE = 512;

  private final String host;
  private final int port;
  private final @Nullable String username;
  private final @Nullable String password;
  private final int timeoutMillis;

  private Preflight(
      String host,
      int port,
      @Nullable String username,
      @Nullable String password,
      int timeoutMillis) {
    this.host = host;
    this.port = port;
    this.username = username;
    this.password = password;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * The check for a configuration naming one plain {@code redis://} server, or {@code null} for
   * every other mode (TLS, Unix sockets, replicas, Sentinel, Cluster), which Redisson is left to
   * connect to by itself.
   */
  @SuppressWarnings("deprecation") // reads credentials a YAML file may still put on the server
  public static @Nullable Preflight of(Config redisson) {
    BaseConfig<?> servers = ConfigSupport.getConfig(redisson);
    if (!(servers instanceof SingleServerConfig single) || single.getAddress() == null) {
      return null;
    }
    RedisURI uri;
    try {
      uri = new RedisURI(single.getAddress());
    } catch (RuntimeException e) {
      return null;
    }
    if (uri.isSsl() || uri.isUDS()) {
      return null;
    }
    String username =
        redisson.getUsername() != null ? redisson.getUsername() : single.getUsername();
    String password =
        redisson.getPassword() != null ? redisson.getPassword() : single.getPassword();
    if (uri.getPassword() != null) { // credentials in the address itself, as Redisson allows
      username = uri.getUsername();
      password = uri.getPassword();
    }
    return new Preflight(
        uri.getHost(), uri.getPort(), username, password, single.getConnectTimeout());
  }

  /**
   * Returns {@code null} if the server answers as Redis and accepts the credentials, else why not.
   */
  public @Nullable String problem() {
    try (Socket socket = new Socket()) {
      try {
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      } catch (SocketTimeoutException e) {
        return "timed out: no connection within " + timeoutMillis + " ms";
      } catch (ConnectException e) {
        return "connection refused: nothing listens on " + host + ":" + port;
      } catch (UnknownHostException e) {
        return "unknown host " + host;
      } catch (NoRouteToHostException e) {
        return "no route to host " + host;
      }
      socket.setSoTimeout(timeoutMillis);
      socket.setTcpNoDelay(true);
      return converse(socket.getInputStream(), socket.getOutputStream());
    } catch (SocketTimeoutException e) {
      return "timed out: connected, but no answer within " + timeoutMillis + " ms";
    } catch (IOException e) {
      return "connection failed: " + e.getClass().getSimpleName();
    }
  }

  private @Nullable String converse(InputStream in, OutputStream out) throws IOException {
    send(out, "PING");
    String ping = readLine(in);
    if (ping == null || !isResp(ping)) {
      return "not a Redis server: " + host + ":" + port + " does not answer PING as Redis does";
    }
    boolean authRequired = ping.startsWith("-NOAUTH");
    String pass = password;
    if (pass == null) {
      if (authRequired) {
        return "authentication refused: the server requires a password and none is configured";
      }
      return ping.startsWith("-") ? "Redis refused PING: " + errorCode(ping) : null;
    }
    String user = username;
    if (user != null && !user.isEmpty()) {
      send(out, "AUTH", user, pass);
    } else {
      send(out, "AUTH", pass);
    }
    String auth = readLine(in);
    if (auth == null || !isResp(auth)) {
      return "not a Redis server: " + host + ":" + port + " does not answer AUTH as Redis does";
    }
    if (auth.startsWith("+")) {
      return null;
    }
    String lower = auth.toLowerCase(Locale.ROOT);
    if (lower.contains("without any password configured") || lower.contains("no password is set")) {
      return "authentication refused: the server needs no password, but one is configured;"
          + " remove it";
    }
    return "authentication refused: wrong user name or password";
  }

  private static boolean isResp(String line) {
    return !line.isEmpty() && "+-:$*_".indexOf(line.charAt(0)) >= 0;
  }

  /** The error's first word, such as {@code LOADING} or {@code DENIED}; never the rest of it. */
  private static String errorCode(String line) {
    int space = line.indexOf(' ');
    return line.substring(1, space < 0 ? line.length() : space);
  }

  private static void send(OutputStream out, String... words) throws IOException {
    StringBuilder command = new StringBuilder().append('*').append(words.length).append("\r\n");
    for (String word : words) {
      byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
      command.append('$').append(bytes.length).append("\r\n").append(word).append("\r\n");
    }
    out.write(command.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** One reply line without its CRLF, or {@code null} if the peer closed first. */
  private static @Nullable String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    while (line.length() < MAX_LINE) {
      int b = in.read();
      if (b < 0) {
        return line.length() == 0 ? null : line.toString();
      }
      if (b == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r'
            ? line.substring(0, end - 1)
            : line.toString();
      }
      line.append((char) b);
    }
    return line.toString();
  }
}
