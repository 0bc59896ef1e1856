package dev.readthrough.bench.spring;

import java.util.Map;
import org.redisson.api.RedissonClient;
import org.redisson.codec.Kryo5Codec;
import org.redisson.spring.cache.CacheConfig;
import org.redisson.spring.cache.RedissonSpringCacheManager;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring's cache abstraction on Redisson's {@link RedissonSpringCacheManager}, with Redisson's
 * {@link Kryo5Codec} and the same 300 s TTL as the woven methods.
 */
@Configuration
@EnableCaching
public class SpringCacheConfig {

  static final long TTL_MILLIS = 300_000;

  @Bean
  public CacheManager cacheManager(RedissonClient redisson) {
    Map<String, CacheConfig> caches =
        Map.of(
            "springSmall", new CacheConfig(TTL_MILLIS, 0),
            "springLarge", new CacheConfig(TTL_MILLIS, 0));
    return new RedissonSpringCacheManager(redisson, caches, new Kryo5Codec());
  }

  @Bean
  public SpringCachedService springCachedService() {
    return new SpringCachedService();
  }
}
