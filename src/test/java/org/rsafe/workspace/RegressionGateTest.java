package org.rsafe.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rsafe.util.UserException;

/** Parsing of regression gates written on the command line, and the mistakes users make in them. */
class RegressionGateTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            f1=0.01,new-fn=0            | f1=0.0100,new-fn=0
            ' F1 = 0.02 , new-fp=3 '     | f1=0.0200,new-fp=3
            fpr=0.05,parse-failures=0   | fpr=0.0500,parse-failures=0.0000
            recall=0,flips=10           | recall=0.0000,flips=10
            """)
    void gatesAreParsedFromNameLimitPairs(String spec, String canonical) {
        assertThat(RegressionGate.parse(spec).toString()).isEqualTo(canonical);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            f2=0.01            | unknown gate 'f2'
            f1                 | not name=limit
            f1=abc             | needs a number
            f1=-0.1            | must be 0 or more
            new-fn=1.5         | whole number
            f1=2               | change of a rate
            ','                | no gates given
            """)
    void badGatesAreUserMistakesThatSayWhy(String spec, String message) {
        assertThatThrownBy(() -> RegressionGate.parse(spec)).isInstanceOf(UserException.class)
                .hasMessageContaining(message);
    }
}
