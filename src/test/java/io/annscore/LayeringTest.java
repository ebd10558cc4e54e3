package io.annscore;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fences of the layout, checked on the compiled main classes (every dependency, not only
 * imports): the core knows nothing of Spark, Hadoop or Scala; model resolution runs without Spark;
 * and Spark's internal APIs are used in one package only, the one a Spark upgrade must check.
 */
class LayeringTest {
    private static final String[] CORE = {"io.annscore.network..", "io.annscore.metrics..", "io.annscore.model.."};
    private static final String[] SPARK_INTERNALS = {"org.apache.spark.sql.catalyst..", "org.apache.spark.sql.execution..",
        "org.apache.spark.sql.vectorized..", "org.apache.spark.unsafe.."};

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.annscore");
    }

    @Test
    void coreUsesNoSparkHadoopOrScala() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "org.apache.hadoop..", "scala..")
                .check(main);
    }

    @Test
    void modelResolutionRunsWithoutSpark() {
        noClasses().that().resideInAnyPackage("io.annscore.importers..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "scala..")
                .check(main);
    }

    @Test
    void sparkInternalsOnlyInTheRowsPackage() {
        noClasses().that().resideOutsideOfPackage("io.annscore.job.rows..")
                .should().dependOnClassesThat().resideInAnyPackage(SPARK_INTERNALS)
                .check(main);
    }

    @Test
    void theCoreDoesNotReachUpIntoTheJob() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage("io.annscore.job..", "io.annscore.cli..", "io.annscore.importers..")
                .check(main);
    }
}
