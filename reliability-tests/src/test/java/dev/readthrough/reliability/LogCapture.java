package dev.readthrough.reliability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Records what one logger (and its children) logs while open. */
public final class LogCapture implements AutoCloseable {

  /** The logger every engine message goes to. */
  public static final String ENGINE_LOGGER = "dev.readthrough.runtime.ReadThroughEngine";

  private final Logger logger;
  private final Level previousLevel;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(String name, Level level) {
    this.logger = (Logger) LoggerFactory.getLogger(name);
    this.previousLevel = logger.getLevel();
    logger.setLevel(level);
    appender.start();
    logger.addAppender(appender);
  }

  /** Captures the engine's logger from WARN down to DEBUG. */
  public static LogCapture engine() {
    return new LogCapture(ENGINE_LOGGER, Level.DEBUG);
  }

  /** Captures Redisson's loggers at WARN and above. */
  public static LogCapture redisson() {
    return new LogCapture("org.redisson", Level.WARN);
  }

  /** The formatted messages of the ERROR events so far, each with its logger's name. */
  public List<String> errors() {
    List<String> errors = new ArrayList<>();
    for (ILoggingEvent event : events()) {
      if (event.getLevel() == Level.ERROR) {
        errors.add(event.getLoggerName() + ": " + event.getFormattedMessage());
      }
    }
    return errors;
  }

  /** Captures every logger of the JVM (the engine, Redisson, Netty) at DEBUG and above. */
  public static LogCapture everything() {
    return new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.DEBUG);
  }

  /** The formatted messages of the WARN events so far. */
  public List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    for (ILoggingEvent event : events()) {
      if (event.getLevel() == Level.WARN) {
        warnings.add(event.getFormattedMessage());
      }
    }
    return warnings;
  }

  /** Everything the events so far would print: messages, exception messages and stack frames. */
  public String fullText() {
    StringBuilder text = new StringBuilder();
    for (ILoggingEvent event : events()) {
      text.append(event.getLoggerName())
          .append(' ')
          .append(event.getFormattedMessage())
          .append('\n');
      for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        text.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
        for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
          text.append('\t').append(frame.getSTEAsString()).append('\n');
        }
        for (IThrowableProxy suppressed : t.getSuppressed()) {
          text.append("Suppressed: ")
              .append(suppressed.getClassName())
              .append(": ")
              .append(suppressed.getMessage())
              .append('\n');
        }
      }
    }
    return text.toString();
  }

  /** Each event at INFO or above so far, as one line: level, logger and message. */
  public List<String> infoAndAbove() {
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent event : events()) {
      if (event.getLevel().isGreaterOrEqual(Level.INFO)) {
        lines.add(
            event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage());
      }
    }
    return lines;
  }

  /** How many events were captured. */
  public int size() {
    return events().size();
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
