package dev.readthrough.bench.jetcache;

import com.alicp.jetcache.CacheBuilder;
import com.alicp.jetcache.anno.CacheConsts;
import com.alicp.jetcache.anno.config.EnableMethodCache;
import com.alicp.jetcache.anno.support.GlobalCacheConfig;
import com.alicp.jetcache.anno.support.JetCacheBaseBeans;
import com.alicp.jetcache.redisson.RedissonCacheBuilder;
import com.alicp.jetcache.support.Kryo5ValueDecoder;
import com.alicp.jetcache.support.Kryo5ValueEncoder;
import java.util.HashMap;
import java.util.Map;
import org.redisson.api.RedissonClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** JetCache method caching, remote only, on Redisson with JetCache's Kryo 5 value encoder. */
@Configuration
@EnableMethodCache(basePackages = "dev.readthrough.bench.jetcache")
@Import(JetCacheBaseBeans.class)
public class JetCacheConfig {

  @Bean
  public GlobalCacheConfig globalCacheConfig(RedissonClient redisson) {
    Map<String, CacheBuilder> remote = new HashMap<>();
    remote.put(
        CacheConsts.DEFAULT_AREA,
        RedissonCacheBuilder.createBuilder()
            .redissonClient(redisson)
            .valueEncoder(Kryo5ValueEncoder.INSTANCE)
            .valueDecoder(Kryo5ValueDecoder.INSTANCE));
    GlobalCacheConfig config = new GlobalCacheConfig();
    config.setLocalCacheBuilders(new HashMap<>());
    config.setRemoteCacheBuilders(remote);
    config.setStatIntervalMinutes(0);
    config.setAreaInCacheName(false);
    return config;
  }

  @Bean
  public JetCachedService jetCachedService() {
    return new JetCachedService();
  }
}
