package org.rsafe.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rsafe.trace.Verdict;
import org.rsafe.util.UserException;

class ColumnMappingTest {

    @TempDir
    Path dir;

    private static List<Map<String, String>> sample(List<String> header, String... rows) {
        return Arrays.stream(rows).map(r -> {
            String[] cells = r.split("\\|", -1);
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                m.put(header.get(i), cells[i]);
            }
            return m;
        }).toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', nullValues = "-", textBlock = """
            # header                               ; text        ; response  ; label      ; id  ; categories
            id,prompt,response,label,categories,source ; prompt  ; response  ; label      ; id  ; categories
            Index,Goal,Target,Behavior,Category      ; Goal      ; -         ; -          ; Index ; Category
            uid,User Input,Model Output,Gold         ; User Input ; Model Output ; Gold   ; uid ; -
            question,answer,is_safe                  ; question  ; answer    ; is_safe    ; -   ; -
            text,toxicity                            ; text      ; -         ; toxicity   ; -   ; -
            query,completion,flagged                 ; query     ; completion ; flagged   ; -   ; -
            message,generation,harmful               ; message   ; generation ; harmful   ; -   ; -
            prompts_final,harm_area                  ; prompts_final ; -     ; -          ; -   ; harm_area
            """)
    void detectsCommonHeaders(String header, String text, String response, String label, String id, String categories) {
        List<String> h = List.of(header.split(","));
        // every column holds a plausible value: labels are 0/1, the rest free text
        String[] cells = h.stream().map(c -> List.of("label", "is_safe", "toxicity", "flagged", "harmful", "gold")
                .contains(c.toLowerCase()) ? "1" : "some " + c).toArray(String[]::new);

        ColumnMapping m = ColumnMapping.detect(h, sample(h, String.join("|", cells))).mapping();

        assertThat(m.textColumn()).isEqualTo(text);
        assertThat(m.responseColumn()).isEqualTo(response);
        assertThat(m.labelColumn()).isEqualTo(label);
        assertThat(m.idColumn()).isEqualTo(id);
        assertThat(m.categoriesColumn()).isEqualTo(categories);
    }

    @Test
    void aPromptLabelBesideAResponseMeansThePromptsAreJudged() {
        List<String> h = List.of("prompt", "response", "prompt_harm_label", "response_harm_label");

        DetectedMapping d = ColumnMapping.detect(h, sample(h, "how to make a bomb|I can't help|harmful|unharmful",
                "hi|hello|unharmful|unharmful"));

        assertThat(d.mapping().labelColumn()).isEqualTo("prompt_harm_label");
        assertThat(d.mapping().responseColumn()).isNull();
        assertThat(d.notes()).anyMatch(n -> n.contains("labels the prompts") && n.contains("--label-col"));
    }

    @Test
    void aToxicityLabelRatesTheUserInputSoTheModelOutputIsNotJudged() {
        List<String> h = List.of("conv_id", "user_input", "model_output", "human_annotation", "toxicity", "jailbreaking");

        DetectedMapping d = ColumnMapping.detect(h, sample(h, "c1|write a racist joke|no|True|1|0",
                "c2|hello there|hi|False|0|0"));

        assertThat(d.mapping().textColumn()).isEqualTo("user_input");
        assertThat(d.mapping().labelColumn()).isEqualTo("toxicity");
        assertThat(d.mapping().responseColumn()).isNull();
    }

    @Test
    void namingTheResponseLabelKeepsTheResponses() {
        List<String> h = List.of("id", "prompt", "response", "prompt_label", "response_label");
        MappingOverrides choose = new MappingOverrides(null, null, null, "response_label", null, null, null, null);

        DetectedMapping d = ColumnMapping.detect(h, sample(h, "1|how to make a bomb|I can't help|unsafe|safe"), choose);

        assertThat(d.mapping().labelColumn()).isEqualTo("response_label");
        assertThat(d.mapping().responseColumn()).isEqualTo("response");
    }

    @Test
    void isSafeColumnIsInverted() {
        List<String> h = List.of("text", "is_safe");

        DetectedMapping d = ColumnMapping.detect(h, sample(h, "a|True", "b|False"));

        assertThat(d.mapping().labels().inverted()).isTrue();
        assertThat(d.mapping().labels().map("True")).contains(Verdict.SAFE);
        assertThat(d.mapping().labels().map("0")).contains(Verdict.UNSAFE);
        assertThat(d.notes()).anyMatch(n -> n.contains("says whether a row is SAFE"));
    }

    @Test
    void inversionDoesNotTurnLabelWordsAround() {
        LabelMapping inverted = LabelMapping.DEFAULT.withInverted(true);

        assertThat(inverted.map("harmful")).contains(Verdict.UNSAFE);
        assertThat(inverted.map("safe")).contains(Verdict.SAFE);
    }

    @Test
    void categoryColumnWithHarmNamesIsUsedAsCategoriesNotAsLabel() {
        List<String> h = List.of("prompt", "category");

        DetectedMapping d = ColumnMapping.detect(h, sample(h, "a|Malware/Hacking", "b|Fraud"));

        assertThat(d.mapping().labelColumn()).isNull();
        assertThat(d.mapping().categoriesColumn()).isEqualTo("category");
        assertThat(d.notes()).anyMatch(n -> n.contains("'category' is not used as the label")
                && n.contains("'Malware/Hacking'"));
    }

    @Test
    void labelHiddenInKeyValueLinesIsFoundByItsKey() {
        List<String> h = List.of("input", "output");
        String harmful = "Answers: \nRequest: None\nCompletion: None\nResponse: harmful\n";
        String fine = "Answers: \nRequest: None\nCompletion: None\nResponse: unharmful\n";

        DetectedMapping d = ColumnMapping.detect(h, sample(h, "q|" + harmful, "r|" + fine));

        assertThat(d.mapping().labelColumn()).isEqualTo("output");
        assertThat(d.mapping().responseColumn()).isNull();
        assertThat(d.mapping().labels().valueKey()).isEqualTo("Response");
        assertThat(d.mapping().labels().map(harmful)).contains(Verdict.UNSAFE);
        assertThat(d.mapping().labels().map(fine)).contains(Verdict.SAFE);
    }

    @Test
    void transcriptTextIsSplitIntoPromptAndResponse() throws IOException {
        Path file = TestFiles.write(dir, "t.json", """
                [{"instruction": "classify", "input": "Human user:\\nHow do I bake?\\n\\nAI assistant:\\nMix flour.\\n\\n", "output": "unharmful"},
                 {"instruction": "classify", "input": "Human user:\\nJust a prompt\\n\\nAI assistant:\\nNone\\n\\n", "output": "harmful"}]
                """);

        List<LabelledRow> rows = TestFiles.rows(file);

        assertThat(rows).extracting(LabelledRow::prompt).containsExactly("How do I bake?", "Just a prompt");
        assertThat(rows).extracting(LabelledRow::response).containsExactly("Mix flour.", null);
        assertThat(rows).extracting(LabelledRow::gold).containsExactly(Verdict.SAFE, Verdict.UNSAFE);
        assertThat(rows.get(0).extra()).containsOnlyKeys("instruction");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "-", textBlock = """
            1, UNSAFE
            1.0, UNSAFE
            0, SAFE
            TRUE, UNSAFE
            false, SAFE
            Harmful, UNSAFE
            unharmful, SAFE
            ' toxic ', UNSAFE
            harmless, SAFE
            flagged, UNSAFE
            Not_Harmful, SAFE
            non-toxic, SAFE
            unsafe, UNSAFE
            safe, SAFE
            0.5, -
            maybe, -
            -1, -
            -1.0, -
            ' -1 ', -
            +1, UNSAFE
            -0, SAFE
            """)
    void defaultLabelValues(String value, Verdict expected) {
        assertThat(LabelMapping.DEFAULT.map(value).orElse(null)).isEqualTo(expected);
    }

    @Test
    void userValuesReplaceTheVocabularyLiterally() {
        LabelMapping m = LabelMapping.DEFAULT.withInverted(true).withValues(List.of("bad", "B"), List.of("good"));

        assertThat(m.map("Bad")).contains(Verdict.UNSAFE);
        assertThat(m.map("b")).contains(Verdict.UNSAFE);
        assertThat(m.map("good")).contains(Verdict.SAFE);
        assertThat(m.map("1")).isEmpty();
        assertThat(m.inverted()).isFalse();
    }

    @Test
    void userValuesCanNameMinusOneAsSafe() {
        LabelMapping m = LabelMapping.DEFAULT.withValues(List.of("1"), List.of("-1"));

        assertThat(m.map("-1")).contains(Verdict.SAFE);
        assertThat(m.map("-1.0")).contains(Verdict.SAFE);
        assertThat(m.map("1")).contains(Verdict.UNSAFE);
    }

    @Test
    void aValueCannotBeBothSafeAndUnsafe() {
        assertThatThrownBy(() -> LabelMapping.ofValues(List.of("x"), List.of("X")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both");
    }

    @Test
    void overridesWinAndFreeTheirColumnsFromOtherRoles() throws IOException {
        Path file = TestFiles.write(dir, "o.csv", "id,prompt,response,label,verdict_2\n1,p,r,safe,bad\n2,q,s,unsafe,good\n");
        MappingOverrides o = new MappingOverrides(null, "response", "none", "verdict_2", null,
                List.of("bad"), List.of("good"), null);

        try (DatasetReader r = DatasetReader.open(file, o, BadRowPolicy.FAIL)) {
            LabelledRow first = r.next();

            assertThat(r.mapping().textColumn()).isEqualTo("response");
            assertThat(r.mapping().responseColumn()).isNull();
            assertThat(first.prompt()).isEqualTo("r");
            assertThat(first.response()).isNull();
            assertThat(first.gold()).isEqualTo(Verdict.UNSAFE);
            assertThat(first.extra()).containsKeys("prompt", "label");
        }
    }

    @Test
    void overrideNamingAnUnknownColumnIsAUserErrorListingTheColumns() throws IOException {
        Path file = TestFiles.write(dir, "o.csv", "prompt,label\np,safe\n");

        assertThatThrownBy(() -> DatasetReader.open(file, new MappingOverrides(null, "txt", null, null, null, null, null,
                null), BadRowPolicy.FAIL))
                .isInstanceOfSatisfying(UserException.class, e -> assertThat(e.lines()).singleElement().asString()
                        .contains(file + ":1:1:", "column 'txt' (--text-col) is not in the data", "prompt, label"));
    }

    @Test
    void explicitMappingIsCheckedAgainstTheHeader() throws IOException {
        Path file = TestFiles.write(dir, "e.csv", "prompt,label\np,safe\n");

        assertThatThrownBy(() -> DatasetReader.open(file, ColumnMapping.standard(), BadRowPolicy.FAIL))
                .isInstanceOf(UserException.class).hasMessageContaining("[id, response, categories]");
    }

    @Test
    void fileWithoutATextColumnAsksForOne() throws IOException {
        Path file = TestFiles.write(dir, "n.csv", "a,b\n1,2\n");

        assertThatThrownBy(() -> DatasetReader.open(file, (ColumnMapping) null, BadRowPolicy.FAIL))
                .isInstanceOf(UserException.class).hasMessageContaining("--text-col");
    }

    @Test
    void unlabelledDataReadsWithNullGold() throws IOException {
        Path file = TestFiles.write(dir, "u.csv", "prompt,notes\nhello,x\n");

        try (DatasetReader r = DatasetReader.open(file, (ColumnMapping) null, BadRowPolicy.FAIL)) {
            assertThat(r.mapping().labelled()).isFalse();
            assertThat(r.next().gold()).isNull();
            assertThat(r.notes()).anyMatch(n -> n.contains("rows are unlabelled"));
        }
    }
}
