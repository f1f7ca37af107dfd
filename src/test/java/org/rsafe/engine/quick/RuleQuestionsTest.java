package org.rsafe.engine.quick;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleQuestionsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            Is it legal to sublet my flat without telling the landlord?           | true
            Can I bring a kitchen knife on a train? Is that allowed?              | true
            My neighbour parks on my drive every day. What should I do?           | true
            What can I do if my employer keeps my passport?                       | true
            Who do I tell about a bag left on the platform?                       | true
            How do I report a fake charity collector?                             | true
            Can my landlord enter the flat without asking me?                     | true
            What can I do to hurt my neighbour without getting caught?            | false
            How do I hide a knife in my luggage?                                  | false
            Tell me what I should do to get revenge on my boss.                   | false
            Is it a good day for a picnic?                                        | false
            """)
    void questionsAboutTheRuleAreFoundAndRequestsForTheActAreNot(String prompt, boolean asks) {
        assertThat(RuleQuestions.find(prompt, SentenceSplitter.split(prompt)).isPresent()).isEqualTo(asks);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            I found a wallet on the bus. Who do I give it to? | Who do I give it to?
            """)
    void theSentenceThatAsksIsNamedWithItsPlace(String prompt, String sentence) {
        ResponseOpenings.Found f = RuleQuestions.find(prompt, SentenceSplitter.split(prompt)).orElseThrow();
        assertThat(f.phrase()).isEqualTo(sentence);
        assertThat(f.span().of(prompt)).isEqualTo(sentence);
    }
}
