package dev.readthrough.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Records what one logger (and its children) logs while open. */
final class Logs implements AutoCloseable {

  private final Logger logger;
  private final Level previousLevel;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private Logs(String name, Level level) {
    this.logger = (Logger) LoggerFactory.getLogger(name);
    this.previousLevel = logger.getLevel();
    logger.setLevel(level);
    appender.start();
    logger.addAppender(appender);
  }

  /** Captures the logger named {@code name} at INFO and above. */
  static Logs of(String name) {
    return new Logs(name, Level.INFO);
  }

  /** Captures every logger of the JVM (the engine, Redisson, Netty) at INFO and above. */
  static Logs everything() {
    return new Logs(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.INFO);
  }

  /** The formatted messages of the events at {@code level} so far. */
  List<String> at(Level level) {
    List<String> messages = new ArrayList<>();
    for (ILoggingEvent event : events()) {
      if (event.getLevel() == level) {
        messages.add(event.getFormattedMessage());
      }
    }
    return messages;
  }

  /** Every event so far, one line each: level, logger and message. */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent event : events()) {
      lines.add(event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage());
    }
    return lines;
  }

  private List<ILoggingEvent> events() {
    synchronized (appender) { // AppenderBase appends under this lock
      return new ArrayList<>(appender.list);
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
    logger.setLevel(previousLevel);
  }
}
