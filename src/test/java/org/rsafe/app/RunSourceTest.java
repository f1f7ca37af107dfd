package org.rsafe.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.util.Hashing;

class RunSourceTest {
    private static final String POLICY = Hashing.sha256("clauses: []");
    private final RunSource ran = RunSource.of(POLICY, "Quick engine (similarity)", "paper\0How do I…\0", "input");

    @Test
    void theSameSourceLeavesTheResultStanding() {
        RunSource same = RunSource.of(POLICY, "Quick engine (similarity)", "paper\0How do I…\0", "input");
        assertThat(ran.changedIn(same)).isEmpty();
        assertThat(RunSource.staleness(ran, same)).isEmpty();
    }

    @Test
    void eachChangedPartIsNamedInTheLine() {
        RunSource otherPolicy = RunSource.of(Hashing.sha256("clauses: [x]"), "Quick engine (similarity)", "paper\0How do I…\0", "input");
        assertThat(RunSource.staleness(ran, otherPolicy)).isEqualTo("Policy changed since this run — Run again");

        RunSource otherEngine = RunSource.of(POLICY, "Local LLM · qwen · cpu", "paper\0How do I…\0", "input");
        assertThat(RunSource.staleness(ran, otherEngine)).isEqualTo("Engine changed since this run — Run again");

        RunSource otherInput = RunSource.of(POLICY, "Quick engine (similarity)", "paper\0Something else\0", "input");
        assertThat(RunSource.staleness(ran, otherInput)).isEqualTo("Input changed since this run — Run again");

        RunSource all = RunSource.of("", "Local LLM · qwen · cpu", "detailed\0x\0", "input");
        assertThat(ran.changedIn(all)).containsExactly(RunSource.Part.POLICY, RunSource.Part.ENGINE, RunSource.Part.INPUT);
        assertThat(RunSource.staleness(ran, all)).isEqualTo("Policy, engine and input changed since this run — Run again");
    }

    @Test
    void aPolicyWithErrorsNeverMatchesTheRunsPolicy() {
        RunSource broken = RunSource.of("", "Quick engine (similarity)", "paper\0How do I…\0", "input");
        assertThat(ran.changedIn(broken)).containsExactly(RunSource.Part.POLICY);
    }

    @Test
    void theInputIsCalledWhatTheCallerCallsIt() {
        RunSource batch = RunSource.of(POLICY, "e", "a.csv", "dataset");
        assertThat(RunSource.staleness(batch, RunSource.of(POLICY, "e", "b.csv", "dataset")))
                .isEqualTo("Dataset changed since this run — Run again");
    }

    @Test
    void noResultIsNeverStale() {
        assertThat(RunSource.staleness(null, ran)).isEmpty();
    }

    @Test
    void thePolicyPartIsTheDigestStoredRunsAreKeyedWith() {
        String text = "policy: 1\nid: p\nname: P\nversion: 1.0.0\ndescription: d\napplies_to: both\nclauses:\n"
                + "  - id: A1\n    title: T\n    description: D\n    violating: [\"x\"]\n    safe: [\"y\"]\n";
        var policy = PolicyLoader.parse("p.yaml", text).policy();
        var edited = PolicyLoader.parse("p.yaml", text.replace("title: T", "title: T2")).policy();
        RunSource a = RunSource.of(policy.sha256(), "e", "i", "input");
        assertThat(a.changedIn(RunSource.of(policy.sha256(), "e", "i", "input"))).isEmpty();
        assertThat(a.changedIn(RunSource.of(edited.sha256(), "e", "i", "input"))).containsExactly(RunSource.Part.POLICY);
    }
}
