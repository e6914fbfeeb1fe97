package dev.agentry.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The feature packages of the API ({@code task}, {@code stream}, {@code quota}, ...) depend on each other in one
 * direction only. A cycle fails the build: break it with a type in a neutral package ({@code error}), an
 * interface the lower feature owns ({@code quota.TenantUsage}), or an application event
 * ({@code task.TaskLogAppended}).
 */
@AnalyzeClasses(packages = "dev.agentry.api", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule featurePackagesAreFreeOfCycles =
            slices().matching("dev.agentry.api.(*)..").should().beFreeOfCycles();

    /** Domain failures know nothing of HTTP; only the advice in {@code web} turns them into statuses. */
    @ArchTest
    static final ArchRule domainExceptionsKnowNothingOfHttp = noClasses()
            .that()
            .resideInAPackage("dev.agentry.api.error..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework.http..", "org.springframework.web..", "jakarta.servlet..");
}
