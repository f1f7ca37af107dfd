package org.rsafe;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direction of dependencies: the core knows neither the GUI toolkit nor the CLI library, its packages form
 * no cycle, util stands alone and no engine uses another; probes under {@code org.rsafe.archprobe} show those
 * rules failing. Written as plain JUnit tests (not ArchUnit's own engine) so Surefire counts and reports every
 * rule.
 */
class ArchitectureTest {
    private static final String PROBES = "org.rsafe.archprobe";
    private static JavaClasses classes;
    private static JavaClasses probes;

    @BeforeAll
    static void importProductClasses() {
        classes = new ClassFileImporter()
                // Any build folder name (parallel builds use target-*): skip whatever came from test-classes.
                .withImportOption(location -> !location.contains("/test-classes/"))
                .importPackages("org.rsafe");
        probes = new ClassFileImporter().importPackages(PROBES);
    }

    /** Engine packages under {@code root}: none may use another (they meet only in the engine contract). */
    static ArchRule enginesStandAlone(String root) {
        return slices().matching(root + ".engine.(*)..").should().notDependOnEachOther()
                .because("engines are alternatives built in one place; one reaching into another ties their changes "
                        + "together (what they share belongs in the contract or in trace)");
    }

    /** The util package under {@code root} uses nothing else under it. */
    static ArchRule utilStandsAlone(String root) {
        return noClasses().that().resideInAPackage(root + ".util..")
                .should().dependOnClassesThat(resideInAPackage(root + "..").and(resideOutsideOfPackage(root + ".util..")))
                .because("every package uses util, so util using any of them is a cycle");
    }

    /** The packages under {@code root}, apart from the two faces, form no cycle. */
    static ArchRule coreHasNoCycles(String root) {
        return slices().matching(root + ".(**)").should().beFreeOfCycles()
                .because("a cycle makes its packages one unit that can only be changed, tested and understood together");
    }

    /** The classes under a root without the faces (ui, cli), which the layer rules cover. */
    private static JavaClasses core(JavaClasses all, String root) {
        return all.that(resideOutsideOfPackages(root + ".ui..", root + ".cli.."));
    }

    @Test
    void noEnginePackageUsesAnother() {
        enginesStandAlone("org.rsafe").check(classes);
    }

    @Test
    void utilUsesNoOtherProductPackage() {
        utilStandsAlone("org.rsafe").check(classes);
    }

    @Test
    void theCorePackagesFormNoCycle() {
        coreHasNoCycles("org.rsafe").check(core(classes, "org.rsafe"));
    }

    @Test
    void eachStructureRuleFailsOnAProbeThatBreaksIt() {
        assertThatThrownBy(() -> enginesStandAlone(PROBES).check(probes))
                .isInstanceOf(AssertionError.class).hasMessageContaining("OneEngine");
        assertThatThrownBy(() -> utilStandsAlone(PROBES).check(probes))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Carrier");
        assertThatThrownBy(() -> coreHasNoCycles(PROBES).check(core(probes, PROBES)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Cycle detected");
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
