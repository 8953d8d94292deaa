package dev.countersign;

import dev.countersign.testing.PostgresTest;

/** The same end-to-end path on real PostgreSQL: migrations, queries and locks behave as on H2. */
@PostgresTest
class GuardedActionFlowOnPostgresTest extends GuardedActionFlowTest {
}
