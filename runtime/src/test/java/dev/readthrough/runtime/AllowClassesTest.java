package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.readthrough.runtime.Fixtures.User;
import dev.readthrough.runtime.internal.call.Plans;
import dev.readthrough.runtime.internal.codec.ValueCodec;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code allowClasses(...)} refuses what cannot be cached, and never makes a call fail. */
class AllowClassesTest {

  record Circle(double radius) {}

  @Test
  void aStream_isRefusedWhenAllowed_namingTheClassAndWhy() {
    assertThatThrownBy(() -> ReadThroughConfig.builder().allowClasses(ByteArrayInputStream.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "allowClasses(java.io.ByteArrayInputStream.class): it is an open stream of bytes, not"
                + " the bytes themselves (InputStream): it cannot be cached; return the bytes"
                + " (byte[]) or a record of the data instead of an InputStream");
  }

  @Test
  void aJdkClassWhoseFieldsCannotBeOpened_isRefusedWhenAllowed() {
    assertThatThrownBy(() -> ReadThroughConfig.builder().allowClasses(AtomicLong.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "allowClasses(java.util.concurrent.atomic.AtomicLong.class): the codec cannot encode"
                + " it (")
        .hasMessageEndingWith("); return a record or class of your own holding its data instead")
        .hasMessageNotContainingAny("kryo.register", "Note:");
  }

  @Test
  void aLambdaClass_isRefusedWhenAllowed() {
    Runnable lambda = () -> {};

    assertThatThrownBy(() -> ReadThroughConfig.builder().allowClasses(lambda.getClass()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("it is a lambda, method reference or other generated class");
  }

  @Test
  void aRecordOfData_isAllowed() {
    ReadThroughConfig config = ReadThroughConfig.builder().allowClasses(Circle.class).build();

    assertThat(config.allowedClasses()).containsExactly(Circle.class);
  }

  @Test
  void aCodecThatCannotTakeAnAllowedClass_isBuiltWithoutIt_withOneWarning() throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger engineLogger = (Logger) LoggerFactory.getLogger(ReadThroughEngine.class);
    log.start();
    engineLogger.addAppender(log);
    ValueCodec codec;
    try {
      codec =
          Plans.codec(
              "Users.find(long)",
              User.class,
              List.of(ByteArrayInputStream.class, Circle.class),
              1 << 20);
    } finally {
      engineLogger.detachAppender(log);
      log.stop();
    }

    assertThat(codec.allowedClasses())
        .contains(Circle.class)
        .doesNotContain(ByteArrayInputStream.class);
    User user = new User(7, "seven");
    assertThat(codec.decode(codec.encode(user))).isEqualTo(user);
    assertThat(log.list)
        .filteredOn(e -> e.getLevel() == Level.WARN)
        .singleElement()
        .extracting(ILoggingEvent::getFormattedMessage)
        .asString()
        .startsWith("Users.find(long): these classes given to allowClasses(...) are not allowed")
        .contains("java.io.ByteArrayInputStream (it is an open stream of bytes")
        .doesNotContain("Circle");
  }
}
