package dev.countersign.actions.internal;

import dev.countersign.testing.PostgresTest;

/** The same round trip on PostgreSQL, where timestamps with time zone are bound by the driver. */
@PostgresTest
class ActionRequestRowOnPostgresTest extends ActionRequestRowTest {
}
