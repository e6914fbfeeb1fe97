package dev.agentry.scheduler;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The scheduler's feature packages ({@code reaper}, {@code webhook}, {@code kafka}, {@code jobrunr}, {@code health})
 * depend on each other in one direction only. A cycle between two of them fails the build here.
 */
@AnalyzeClasses(packages = "dev.agentry.scheduler", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule featurePackagesAreFreeOfCycles =
            slices().matching("dev.agentry.scheduler.(*)..").should().beFreeOfCycles();
}
