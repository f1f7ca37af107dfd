package org.rsafe.ui.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.eval.ColumnMapping;
import org.rsafe.eval.DatasetReader;
import org.rsafe.eval.LabelMapping;

class ColumnMappingViewModelTest {
    @TempDir
    Path dir;

    private ColumnMappingViewModel dialogFor(String csv) throws Exception {
        Path f = Files.writeString(dir.resolve("data.csv"), csv);
        List<Map<String, String>> preview = DatasetReader.preview(f, 20);
        List<String> header = List.copyOf(preview.get(0).keySet());
        return new ColumnMappingViewModel(f, header, preview, ColumnMapping.detect(header, preview));
    }

    @Test
    void theDialogStartsFromTheDetectedColumns() throws Exception {
        ColumnMappingViewModel vm = dialogFor("key,question,is_safe\n1,how to pet a cat,1\n2,how to hurt a cat,0\n");
        assertThat(vm.textColumnProperty().get()).isEqualTo("question");
        assertThat(vm.labelColumnProperty().get()).isEqualTo("is_safe");
        assertThat(vm.responseColumnProperty().get()).isEqualTo(ColumnMappingViewModel.NONE);
        assertThat(vm.mappingProperty().get().labels().inverted()).isTrue();
        assertThat(vm.notes()).isNotEmpty();
        assertThat(vm.choices()).containsExactly(ColumnMappingViewModel.NONE, "key", "question", "is_safe");
    }

    @Test
    void choosingOneColumnForTwoRolesExplainsTheProblemAndOffersNoMapping() throws Exception {
        ColumnMappingViewModel vm = dialogFor("text,label,reply\nhi,safe,hello\n");
        vm.responseColumnProperty().set("text");
        assertThat(vm.mappingProperty().get()).isNull();
        assertThat(vm.problemProperty().get()).contains("text");
        vm.responseColumnProperty().set("reply");
        assertThat(vm.mappingProperty().get().responseColumn()).isEqualTo("reply");
        assertThat(vm.problemProperty().get()).isEmpty();
    }

    @Test
    void withoutATextColumnThereIsNothingToJudge() throws Exception {
        ColumnMappingViewModel vm = dialogFor("text,label\nhi,safe\n");
        vm.textColumnProperty().set(ColumnMappingViewModel.NONE);
        assertThat(vm.mappingProperty().get()).isNull();
        assertThat(vm.problemProperty().get()).contains("text to judge");
    }

    @Test
    void changingTheLabelColumnRereadsItsValues() throws Exception {
        ColumnMappingViewModel vm = dialogFor("text,label,safe\nhi,unsafe,0\nyo,safe,1\n");
        assertThat(vm.labelColumnProperty().get()).isEqualTo("label");
        vm.labelColumnProperty().set("safe");
        LabelMapping labels = vm.mappingProperty().get().labels();
        assertThat(labels.inverted()).isTrue();
    }
}
