package org.rsafe;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rsafe.app.archprobe.UseCaseUsingTheGui;
import org.rsafe.engine.quick.archprobe.QuickEngineUsingTheLlmEngine;
import org.rsafe.eval.archprobe.CycleHalfInEval;
import org.rsafe.policy.archprobe.CoreClassPrinting;
import org.rsafe.policy.archprobe.CoreClassUsingDjl;
import org.rsafe.policy.archprobe.CoreClassUsingJavaFx;
import org.rsafe.policy.archprobe.CoreClassUsingPicocli;
import org.rsafe.policy.archprobe.CoreClassUsingTheCli;
import org.rsafe.policy.archprobe.CoreClassUsingTheUseCaseLayer;
import org.rsafe.policy.archprobe.CycleHalfInPolicy;

/**
 * The structure of the product, one rule each with its reason: {@code ui, cli -> app -> core}, no package cycles,
 * no engine package using another, and the native, GUI and CLI libraries kept where they belong. Every rule is
 * checked twice: the product classes must honour it, and a probe class in the test sources that breaks it on
 * purpose must be caught (so no rule can pass vacuously). Written as plain JUnit tests so Surefire reports each.
 */
class ArchitectureTest {
    private static final String[] CORE = {"org.rsafe.policy..", "org.rsafe.prompt..", "org.rsafe.trace..",
        "org.rsafe.engine..", "org.rsafe.eval..", "org.rsafe.workspace..", "org.rsafe.bundle..", "org.rsafe.train..",
        "org.rsafe.serve..", "org.rsafe.util.."};

    private static final String[] CORE_WITHOUT_UTIL = java.util.Arrays.stream(CORE)
            .filter(p -> !p.equals("org.rsafe.util..")).toArray(String[]::new);

    static final ArchRule LAYERS = layeredArchitecture().consideringOnlyDependenciesInAnyPackage("org.rsafe..")
            .withOptionalLayers(true)
            .layer("GUI").definedBy("org.rsafe.ui..")
            .layer("CLI").definedBy("org.rsafe.cli..")
            .layer("Use cases").definedBy("org.rsafe.app..")
            .layer("Core").definedBy(CORE)
            .whereLayer("GUI").mayNotBeAccessedByAnyLayer()
            .whereLayer("CLI").mayNotBeAccessedByAnyLayer()
            .whereLayer("Use cases").mayOnlyBeAccessedByLayers("GUI", "CLI")
            .whereLayer("Core").mayOnlyBeAccessedByLayers("Use cases", "GUI", "CLI")
            .because("a use case is assembled once, in app, with one set of defaults; the two faces only parse or "
                    + "bind, call it and present, and the core knows no face");

    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("org.rsafe.(**)").should().beFreeOfCycles()
            .because("a package cycle means neither side can be understood, tested or replaced alone");

    static final ArchRule ENGINES_ARE_INDEPENDENT = slices().matching("org.rsafe.engine.(*)..").should()
            .notDependOnEachOther()
            .because("each engine stands on the engine contract alone, so one can be added or removed without "
                    + "touching another; shared behaviour (such as citation linking) belongs to trace");

    static final ArchRule UTIL_STANDS_ALONE = noClasses().that().resideInAPackage("org.rsafe.util..")
            .should().dependOnClassesThat().resideInAnyPackage(CORE_WITHOUT_UTIL)
            .because("every package uses util, so util using any of them would be a cycle");

    static final ArchRule JAVAFX_ONLY_IN_THE_GUI = noClasses().that().resideOutsideOfPackage("org.rsafe.ui..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("javafx..", "org.controlsfx..", "org.fxmisc..", "atlantafx..")
            .because("the core must run headless in the CLI, in CI and in batch jobs");

    static final ArchRule PICOCLI_ONLY_IN_THE_CLI = noClasses().that().resideOutsideOfPackage("org.rsafe.cli..")
            .should().dependOnClassesThat().resideInAPackage("picocli..")
            .because("commands are thin parsers; the GUI and tests call the same use cases without a CLI library");

    static final ArchRule DJL_ONLY_IN_MODEL_CODE = noClasses()
            .that().resideOutsideOfPackages("org.rsafe.engine.llm..", "org.rsafe.train..", "org.rsafe.engine.quick..")
            .should().dependOnClassesThat().resideInAPackage("ai.djl..")
            .because("native tensor memory is managed only where the model code scopes it");

    static final ArchRule LLAMA_CPP_ONLY_IN_THE_GGUF_ENGINE = noClasses()
            .that().resideOutsideOfPackage("org.rsafe.engine.gguf..")
            .should().dependOnClassesThat().resideInAPackage("de.kherud.llama..")
            .because("llama.cpp can end the process it runs in, so it is loaded only by the GGUF engine's served model, "
                    + "which runs in the child process of rsafe serve");

    static final ArchRule ONLY_THE_CLI_PRINTS = noClasses().that().resideOutsideOfPackage("org.rsafe.cli..")
            .should().accessField(System.class, "out")
            .because("the core and the use cases report through return values and listeners; the GUI shows, the "
                    + "CLI alone writes to standard output");

    private static JavaClasses product;
    /** The product classes with the test classes, probes included: a probe's dependencies point into the product. */
    private static JavaClasses productAndProbes;

    @BeforeAll
    static void importProductClasses() {
        product = new ClassFileImporter()
                // Any build folder name (parallel builds use target-*): skip whatever came from test-classes.
                .withImportOption(location -> !location.contains("/test-classes/"))
                .importPackages("org.rsafe");
        productAndProbes = new ClassFileImporter().importPackages("org.rsafe");
    }

    static Stream<Arguments> rulesAndTheirProbes() {
        return Stream.of(
                Arguments.of("layers: core uses app", LAYERS, new Class<?>[] {CoreClassUsingTheUseCaseLayer.class}),
                Arguments.of("layers: core uses cli", LAYERS, new Class<?>[] {CoreClassUsingTheCli.class}),
                Arguments.of("layers: app uses ui", LAYERS, new Class<?>[] {UseCaseUsingTheGui.class}),
                Arguments.of("no package cycles", NO_PACKAGE_CYCLES,
                        new Class<?>[] {CycleHalfInPolicy.class, CycleHalfInEval.class}),
                Arguments.of("engines independent", ENGINES_ARE_INDEPENDENT,
                        new Class<?>[] {QuickEngineUsingTheLlmEngine.class}),
                Arguments.of("util stands alone", UTIL_STANDS_ALONE,
                        new Class<?>[] {org.rsafe.util.archprobe.UtilUsingThePolicyModel.class}),
                Arguments.of("JavaFX only in ui", JAVAFX_ONLY_IN_THE_GUI, new Class<?>[] {CoreClassUsingJavaFx.class}),
                Arguments.of("picocli only in cli", PICOCLI_ONLY_IN_THE_CLI,
                        new Class<?>[] {CoreClassUsingPicocli.class}),
                Arguments.of("DJL only in model code", DJL_ONLY_IN_MODEL_CODE, new Class<?>[] {CoreClassUsingDjl.class}),
                Arguments.of("llama.cpp only in the GGUF engine", LLAMA_CPP_ONLY_IN_THE_GGUF_ENGINE,
                        new Class<?>[] {org.rsafe.policy.archprobe.CoreClassUsingLlamaCpp.class}),
                Arguments.of("only cli prints", ONLY_THE_CLI_PRINTS, new Class<?>[] {CoreClassPrinting.class}));
    }

    @ParameterizedTest(name = "{0}: the product honours it")
    @MethodSource("rulesAndTheirProbes")
    void theProductHonoursTheRule(String name, ArchRule rule, Class<?>[] probes) {
        rule.check(product);
    }

    @ParameterizedTest(name = "{0}: a class that breaks it is caught")
    @MethodSource("rulesAndTheirProbes")
    void theRuleCatchesAClassThatBreaksIt(String name, ArchRule rule, Class<?>[] probes) {
        // A cycle needs only its own two halves; the other rules judge a probe's dependencies into the product. The
        // cycle probe is evaluated alone because the cycle report lists a bounded number of cycles.
        JavaClasses scope = rule == NO_PACKAGE_CYCLES ? new ClassFileImporter().importClasses(probes) : productAndProbes;
        EvaluationResult result = rule.evaluate(scope);
        // The report must name every probe: a violation of another class, or for another reason, proves nothing.
        for (Class<?> probe : probes) {
            assertThat(result.getFailureReport().getDetails()).as(name)
                    .anySatisfy(line -> assertThat(line).contains(probe.getName()));
        }
    }

    @Test
    void theRulesSeeTheProductClassesAndNoProbe() {
        // Guards against a silently empty import, which would make every rule pass vacuously, and against a probe
        // leaking into the product classes.
        assertThat(product.contain("org.rsafe.cli.Main")).isTrue();
        assertThat(product.contain("org.rsafe.app.Engines")).isTrue();
        assertThat(product.contain("org.rsafe.policy.PolicyLoader")).isTrue();
        assertThat(product.contain(CoreClassPrinting.class.getName())).isFalse();
    }
}
