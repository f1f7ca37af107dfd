package org.rsafe;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The direction of dependencies: the core knows neither the GUI toolkit nor the CLI library. */
@AnalyzeClasses(packages = "org.rsafe", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule onlyUiUsesJavaFx = noClasses()
            .that().resideOutsideOfPackage("org.rsafe.ui..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "org.fxmisc..")
            .because("the core must run headless in the CLI, in CI and in batch jobs");

    @ArchTest
    static final ArchRule onlyCliUsesPicocli = noClasses()
            .that().resideOutsideOfPackage("org.rsafe.cli..")
            .should().dependOnClassesThat().resideInAPackage("picocli..")
            .because("commands are thin wrappers; the GUI and tests call the same services without a CLI library");

    @ArchTest
    static final ArchRule djlStaysInModelCode = noClasses()
            .that().resideOutsideOfPackages("org.rsafe.engine.llm..", "org.rsafe.train..", "org.rsafe.engine.quick..")
            .should().dependOnClassesThat().resideInAPackage("ai.djl..")
            .because("native tensor memory is managed only where the model code scopes it");

    @ArchTest
    static final ArchRule coreDoesNotPrint = noClasses()
            .that().resideOutsideOfPackages("org.rsafe.cli..", "org.rsafe.ui..")
            .should().accessField(System.class, "out")
            .because("the core reports through return values and listeners; only the CLI writes to stdout");
}
