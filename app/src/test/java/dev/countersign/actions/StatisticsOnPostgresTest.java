package dev.countersign.actions;

import dev.countersign.testing.PostgresTest;

/** The dashboard's queries on real PostgreSQL: UTC days (at time zone), grouping and limits as on H2. */
@PostgresTest
class StatisticsOnPostgresTest extends StatisticsTest {
}
