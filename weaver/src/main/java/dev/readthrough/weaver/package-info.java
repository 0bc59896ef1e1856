/**
 * The aspect that weaves {@code @ReadThrough}, {@code @WriteThrough} and {@code @Invalidate}
 * methods, and the {@link dev.readthrough.weaver.CacheInterceptor} SPI that the runtime installs
 * into it.
 */
@NullMarked
package dev.readthrough.weaver;

import org.jspecify.annotations.NullMarked;
