package io.annscore.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One local SparkSession per test class: started before the class's first test, put into its
 * {@code SparkSession} field, and stopped after its last. Each class gets a fresh session (and a
 * warehouse folder of its own), so a class that needs other static settings — Hive, Delta's
 * extensions — can build its own without meeting a session left over from another class.
 *
 * <pre>{@code
 * @LocalSpark.Session(master = "local[2]")
 * class SomeIT {
 *     SparkSession spark;
 * }
 * }</pre>
 */
public final class LocalSpark implements BeforeAllCallback, AfterAllCallback {

    /** Gives the class a local session; implies one test instance per class. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @ExtendWith(LocalSpark.class)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    public @interface Session {
        String master() default "local[2]";

        /** Spark's Hive support, with an embedded Derby metastore and warehouse in the class's own folder. */
        boolean hive() default false;

        /** Delta Lake's extension and catalog. */
        boolean delta() default false;
    }

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LocalSpark.class);

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Class<?> type = context.getRequiredTestClass();
        Session settings = type.getAnnotation(Session.class);
        Path warehouse = Files.createTempDirectory("annscore-it-warehouse");
        SparkSession spark = JobTestSupport.session(settings.master(), warehouse, settings.hive(), settings.delta());
        context.getStore(NS).put("warehouse", warehouse);
        context.getStore(NS).put("spark", spark);
        inject(context.getRequiredTestInstance(), type, spark);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        JobTestSupport.stop(context.getStore(NS).remove("spark", SparkSession.class));
        Path warehouse = context.getStore(NS).remove("warehouse", Path.class);
        if (warehouse != null) {
            deleteTree(warehouse);
        }
    }

    private static void inject(Object instance, Class<?> type, SparkSession spark) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() == SparkSession.class) {
                    try {
                        f.setAccessible(true);
                        f.set(java.lang.reflect.Modifier.isStatic(f.getModifiers()) ? null : instance, spark);
                        return;
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException("cannot set " + f, e);
                    }
                }
            }
        }
        throw new IllegalStateException(type.getSimpleName() + " has no SparkSession field for @LocalSpark.Session");
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
