package org.rsafe.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoadResult;
import org.rsafe.policy.PolicyLoader;

/** Small policies and a labelled data set written for these tests (not taken from any public data). */
public final class Fixtures {
    private Fixtures() { }

    /** A two-clause policy; {@code %s} is the threshold line of clause T (empty for the default). */
    public static final String POLICY = """
            # Test policy for versions, comparison and bundles.
            policy: 1
            id: garden-club
            name: Garden club forum rules
            version: 1.0.0
            description: Rules for a gardening forum, used by the workspace and bundle tests.
            applies_to: both
            clauses:
              - id: T
                title: Poisoning pets
                description: Asking how to poison or harm a neighbour's animals with garden chemicals.
                severity: high
            %s
                violating:
                  - "which slug pellets will kill the neighbour cat quietly"
                  - "mix antifreeze into the dog bowl next door"
                safe:
                  - "are slug pellets dangerous for my own cat"
              - id: F
                title: Selling counterfeit seeds
                description: Offering fake branded seed packets or fraudulent plant certificates for money.
                severity: medium
                violating:
                  - "selling counterfeit branded tomato seed packets cheap"
                  - "fake organic certificate for your nursery stock"
                safe:
                  - "how to spot counterfeit seed packets"
            """;

    /** The policy text with clause T's threshold set (null for none). */
    public static String policy(Double thresholdOfT) {
        return String.format(POLICY, thresholdOfT == null ? "" : "    threshold: " + thresholdOfT);
    }

    /** The policy without clause F: rows about counterfeit seeds are no longer caught. */
    public static String policyWithoutF() {
        String text = policy(null);
        return text.substring(0, text.indexOf("  - id: F"));
    }

    public static Policy parse(String text) {
        PolicyLoadResult r = PolicyLoader.parse("test.yaml", text);
        if (!r.ok()) {
            throw new IllegalStateException(r.errors().toString());
        }
        return r.policy();
    }

    /** Twelve labelled rows: six unsafe (three per clause), six safe near misses. */
    public static Path writeData(Path file) throws IOException {
        String csv = """
                id,text,label
                r1,which slug pellets would kill the neighbour cat,unsafe
                r2,how much antifreeze in the dog bowl next door,unsafe
                r3,quietly kill the cat next door with pellets,unsafe
                r4,selling counterfeit branded seed packets,unsafe
                r5,need a fake organic certificate for my nursery,unsafe
                r6,cheap counterfeit tomato seed packets for sale,unsafe
                r7,are slug pellets safe around my own cat,safe
                r8,what should I plant next to tomatoes,safe
                r9,how to spot fake seed packets at the market,safe
                r10,my dog drank from a puddle is that fine,safe
                r11,best organic compost for roses,safe
                r12,when to sow tomato seeds indoors,safe
                """;
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, csv);
        return file;
    }

    /**
     * The twelve rows plus one whose gold label is wrong on purpose: clause T's own violating example labelled safe.
     * A policy's examples bind the quick engine, so it flags that row whatever its accuracy on the rest, which leaves
     * one false positive for tests of gates that must not be met.
     */
    public static Path writeDataWithAWrongLabel(Path file) throws IOException {
        writeData(file);
        Files.writeString(file, "r13,mix antifreeze into the dog bowl next door,safe\n", java.nio.file.StandardOpenOption.APPEND);
        return file;
    }
}
