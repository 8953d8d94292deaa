package dev.countersign.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobsTest {

    @ParameterizedTest
    @CsvSource({
            "payments.*, payments.transfer, true",
            "payments.*, payments., true",
            "payments.*, paymentsXtransfer, false",
            "payments.*, docs.read, false",
            "db.drop*, db.drop_table, true",
            "db.drop*, db.dropdatabase, true",
            "db.drop*, db.create, false",
            "*, anything, true",
            "docs.read, docs.read, true",
            "docs.read, docs.readme, false",
            "a+b.*, a+b.c, true",
            "a+b.*, aab.c, false",
            "*.read_*, fs.read_text_file, true",
            "*.read_*, fs.write_file, false",
            "a*b*c, abxbc, true",
            "a*b*c, abxbcx, false",
            "'', '', true",
            "'', x, false"
    })
    void starMatchesAnyRunAndEverythingElseIsLiteral(String glob, String value, boolean matches) {
        assertThat(Globs.matches(glob, value)).isEqualTo(matches);
    }

    @Test
    void aNullNameMatchesNothing() {
        assertThat(Globs.matches("*", null)).isFalse();
    }

    @Test
    void aStarDoesNotSpanALineTerminatorAsTheRegularExpressionDidNot() {
        assertThat(Globs.matches("docs.*", "docs.read\nadmin.delete")).isFalse();
        assertThat(Globs.matches("docs.*", "docs.read\u2028")).isFalse();
    }

    /** The regular expression the matcher replaced: the oracle. */
    private static boolean byRegex(String glob, String value) {
        String regex = Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
        return Pattern.matches(regex, value);
    }

    @Test
    void matchesExactlyWhatTheRegularExpressionMatched() {
        // Small alphabets make matches and near-misses frequent; a fixed seed keeps a failure reproducible.
        String globAlphabet = "ab.*\n+\\Q";
        String valueAlphabet = "ab.\n\r\u2028+\\Q*";
        Random random = new Random(16);
        int matched = 0;
        for (int i = 0; i < 200_000; i++) {
            String glob = random(random, globAlphabet, 6);
            String value = random(random, valueAlphabet, 8);
            boolean expected = byRegex(glob, value);
            assertThat(Globs.matches(glob, value)).as("glob '%s' against '%s'", glob, value).isEqualTo(expected);
            matched += expected ? 1 : 0;
        }
        assertThat(matched).as("the generated pairs include matches").isGreaterThan(1_000);
    }

    private static String random(Random random, String alphabet, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        var text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
