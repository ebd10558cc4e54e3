package io.annscore.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A SPARK_HOME made of Spark's Maven jars, for the cluster tests: {@code jars/} linking every jar of
 * the test classpath that a Spark distribution would hold, and a {@code RELEASE} file (the
 * standalone worker needs one). Test tools, annscore itself and the jars that only simulate a
 * cluster in the test JVM (the HDFS and YARN mini clusters and what they need) stay out.
 */
final class MavenSparkHome {
    /** Prefixes of jar names that are no part of a Spark distribution. */
    private static final List<String> NOT_SPARK = List.of("junit-", "opentest4j-", "apiguardian-", "surefire",
            "annscore-", "hadoop-client-minicluster-", "bcprov-", "bcpkix-", "bcutil-", "jaxb-api-");

    private MavenSparkHome() {
    }

    static Path create(Path home) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Set<String> names = new HashSet<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            String name = jar.getFileName().toString();
            if (name.endsWith(".jar") && Files.isRegularFile(jar) && NOT_SPARK.stream().noneMatch(name::startsWith)
                    && names.add(name)) {
                Files.createSymbolicLink(jars.resolve(name), jar.toAbsolutePath());
            }
        }
        assertTrue(names.stream().anyMatch(n -> n.startsWith("spark-core_2.13-")), "no Spark jars on the classpath: " + names);
        Files.writeString(home.resolve("RELEASE"), "Spark 4.2.0 (Maven jars, for the cluster tests)\n");
        return home;
    }
}
