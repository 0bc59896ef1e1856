package dev.readthrough.bench.jetcache;

import dev.readthrough.bench.BenchRedis;
import dev.readthrough.bench.Values;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.redisson.api.RedissonClient;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/** A Spring context whose {@link JetCachedService} bean is proxied by JetCache. */
@State(Scope.Benchmark)
public class JetCacheState {

  private static final long HIT_ID = 1;

  private RedissonClient redisson;
  private AnnotationConfigApplicationContext context;
  private JetCachedService service;
  private boolean small;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws InterruptedException {
    String value = params.getParam("value");
    small = Values.isSmall(value);
    redisson = BenchRedis.client();
    redisson.getKeys().deleteByPattern("jc*");
    context = new AnnotationConfigApplicationContext();
    context.getBeanFactory().registerSingleton("redisson", redisson);
    context.register(JetCacheConfig.class);
    context.refresh();
    service = context.getBean(JetCachedService.class);
    if (!AopUtils.isAopProxy(service)) {
      throw new IllegalStateException("JetCachedService is not proxied");
    }
    hit(); // miss: runs the method and stores
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!redisson.getKeys().getKeysByPattern("jc*").iterator().hasNext()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("JetCache did not store the value");
      }
      Thread.sleep(5);
    }
    if (!Values.of(value).equals(hit())) {
      throw new IllegalStateException("JetCache returned a different value");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    context.close();
    BenchRedis.shutdown(redisson);
  }

  public Object hit() {
    return small ? service.small(HIT_ID) : service.large(HIT_ID);
  }
}
