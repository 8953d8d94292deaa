package dev.countersign.common;

import static org.assertj.core.api.Assertions.assertThat;

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
            "a+b.*, aab.c, false"
    })
    void starMatchesAnyRunAndEverythingElseIsLiteral(String glob, String value, boolean matches) {
        assertThat(Globs.matches(glob, value)).isEqualTo(matches);
    }
}
