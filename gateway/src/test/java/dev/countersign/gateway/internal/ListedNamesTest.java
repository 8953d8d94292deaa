package dev.countersign.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ListedNamesTest {

    private static final Pattern OPENAI_FUNCTION_NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");

    @Test
    void aNameThatFitsIsServerSeparatorTool() {
        assertThat(ListedNames.of("fs", "write_file", "__")).isEqualTo("fs__write_file");
        assertThat(ListedNames.of("fs", "write_file", "-")).isEqualTo("fs-write_file");
    }

    @Test
    void aNameThatDoesNotFitIsMadeToFitStablyAndStaysApartFromItsLookAlikes() {
        String dotted = ListedNames.of("fs", "a.b", "__");
        String underscored = ListedNames.of("fs", "a_b", "__");
        String long1 = ListedNames.of("server", "x".repeat(80) + "1", "__");
        String long2 = ListedNames.of("server", "x".repeat(80) + "2", "__");
        List<String> names = List.of(dotted, underscored, long1, long2, ListedNames.of("fs", "ünïcode/tool", "__"));
        assertThat(names).hasSize(5).doesNotHaveDuplicates().allMatch(name -> OPENAI_FUNCTION_NAME.matcher(name).matches());
        assertThat(dotted).startsWith("fs__a_b_").hasSize("fs__a_b_".length() + 8);
        assertThat(long1).hasSize(64).startsWith("server__xxx");
        // The same tool gets the same name on every instance and after every restart.
        assertThat(ListedNames.of("fs", "a.b", "__")).isEqualTo(dotted);
        assertThat(ListedNames.of("server", "x".repeat(80) + "1", "__")).isEqualTo(long1);
    }
}
