package dev.agentry.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The worker's feature packages ({@code queue}, {@code execution}, {@code control}, {@code pullrequest},
 * {@code workspace}, {@code git}, {@code messaging}, ...) depend on each other in one direction only, and the
 * worker never touches a database. Either broken fails the build here.
 */
@AnalyzeClasses(packages = "dev.agentry.worker", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule featurePackagesAreFreeOfCycles =
            slices().matching("dev.agentry.worker.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule theWorkerHasNoDatabase = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("java.sql..", "javax.sql..", "org.springframework.jdbc..")
            .because("a worker talks only to Kafka, git remotes and model endpoints; PostgreSQL is the API's");
}
