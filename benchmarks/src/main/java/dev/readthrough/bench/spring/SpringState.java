package dev.readthrough.bench.spring;

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
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/** A Spring context whose {@link SpringCachedService} bean is a caching proxy. */
@State(Scope.Benchmark)
public class SpringState {

  private static final long HIT_ID = 1;

  private RedissonClient redisson;
  private AnnotationConfigApplicationContext context;
  private SpringCachedService service;
  private boolean small;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    small = Values.isSmall(params.getParam("value"));
    redisson = BenchRedis.client();
    context = new AnnotationConfigApplicationContext();
    context.getBeanFactory().registerSingleton("redisson", redisson);
    context.register(SpringCacheConfig.class);
    context.refresh();
    service = context.getBean(SpringCachedService.class);
    if (!AopUtils.isAopProxy(service)) {
      throw new IllegalStateException("SpringCachedService is not proxied");
    }
    Cache cache =
        context.getBean(CacheManager.class).getCache(small ? "springSmall" : "springLarge");
    cache.clear();
    hit(); // miss: runs the method and stores synchronously
    if (cache.get(HIT_ID) == null || !Values.of(params.getParam("value")).equals(hit())) {
      throw new IllegalStateException("the Spring cache did not store the value");
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
