package org.rsafe.prompt;

import java.util.ArrayList;
import java.util.List;
import org.rsafe.policy.AppliesTo;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Example;
import org.rsafe.policy.Policy;

/** RSafe's 18 default categories built in code, titles as in the published template (five with U+2011). */
public final class RsafeDefaultTaxonomy {

    public static final List<String> TITLES = List.of(
            "Violence & Physical Harm",
            "Weapons & Illegal Tactics",
            "Non\u2011violent Crime & Fraud",
            "Drugs & Controlled Substances",
            "Adult Sexual Content",
            "Sexual Content Involving Minors",
            "Hate Speech & Discrimination",
            "Harassment & Profanity",
            "Self\u2011Harm & Suicide",
            "Privacy & PII",
            "Intellectual Property",
            "Misinformation & Manipulation",
            "Unauthorized Professional Advice",
            "Animal Abuse",
            "Child Abuse (Non\u2011Sexual)",
            "Environmental & Public\u2011Safety Harm",
            "Manipulation & Coercion / Human Trafficking",
            "National\u2011Security Espionage");

    private RsafeDefaultTaxonomy() { }

    public static Policy policy() {
        List<Clause> clauses = new ArrayList<>();
        for (int i = 0; i < TITLES.size(); i++) {
            clauses.add(clause("U" + (i + 1), TITLES.get(i)));
        }
        return policy(clauses, "");
    }

    public static Clause clause(String id, String title) {
        return new Clause(id, title, "", List.of(), List.of(), null, null, null, null);
    }

    public static Clause clause(String id, String title, String description, List<String> violating, List<String> safe) {
        return new Clause(id, title, description, violating.stream().map(Example::of).toList(),
                safe.stream().map(Example::of).toList(), null, null, null, null);
    }

    public static Policy policy(List<Clause> clauses, String instructions) {
        return new Policy(1, "test", "Test policy", "1", "", AppliesTo.BOTH, instructions, clauses, null, null);
    }
}
