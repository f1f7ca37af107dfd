package org.rsafe;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direction of dependencies: the core knows neither the GUI toolkit nor the CLI library. Written as
 * plain JUnit tests (not ArchUnit's own engine) so Surefire counts and reports every rule.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importProductClasses() {
        classes = new ClassFileImporter()
                // Any build folder name (parallel builds use target-*): skip whatever came from test-classes.
                .withImportOption(location -> !location.contains("/test-classes/"))
                .importPackages("org.rsafe");
    }

    @Test
    void onlyTheUiUsesJavaFx() {
        noClasses().that().resideOutsideOfPackage("org.rsafe.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "org.fxmisc..", "atlantafx..")
                .because("the core must run headless in the CLI, in CI and in batch jobs")
                .check(classes);
    }

    @Test
    void onlyTheCliUsesPicocli() {
        noClasses().that().resideOutsideOfPackage("org.rsafe.cli..")
                .should().dependOnClassesThat().resideInAPackage("picocli..")
                .because("commands are thin wrappers; the GUI and tests call the same services without a CLI library")
                .check(classes);
    }

    @Test
    void djlStaysInModelCode() {
        noClasses().that().resideOutsideOfPackages("org.rsafe.engine.llm..", "org.rsafe.train..", "org.rsafe.engine.quick..")
                .should().dependOnClassesThat().resideInAPackage("ai.djl..")
                .because("native tensor memory is managed only where the model code scopes it")
                .check(classes);
    }

    @Test
    void onlyTheCliAndUiPrintToStandardOutput() {
        noClasses().that().resideOutsideOfPackages("org.rsafe.cli..", "org.rsafe.ui..")
                .should().accessField(System.class, "out")
                .because("the core reports through return values and listeners; only the CLI writes to stdout")
                .check(classes);
    }

    @Test
    void theRulesSeeTheProductClasses() {
        // Guards against a silently empty import, which would make every rule above pass vacuously.
        org.assertj.core.api.Assertions.assertThat(classes.contain("org.rsafe.cli.Main")).isTrue();
        org.assertj.core.api.Assertions.assertThat(classes.contain("org.rsafe.policy.PolicyLoader")).isTrue();
    }
}
