package dev.countersign.database.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.countersign.database.DatabaseProperties;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DatabaseProperties.class)
class DatabaseConfiguration {

    @Bean
    static DatabaseStatus databaseStatus() {
        return new DatabaseStatus();
    }

    /** Every user of the pool (JPA, JDBC, Flyway, the engine) gets it through {@link FailFastDataSource}. */
    @Bean
    static BeanPostProcessor failFastDataSource(ObjectProvider<DatabaseStatus> status, ObjectProvider<DatabaseProperties> properties) {
        return new BeanPostProcessor() {
            /** Before the pool starts: its settings are sealed once it hands out its first connection. */
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (bean instanceof HikariDataSource pool && String.valueOf(pool.getJdbcUrl()).startsWith("jdbc:postgresql:")
                        && pool.getConnectionInitSql() == null) {
                    // A lock or a slow statement ends the call (503, Retry-After) instead of holding it and its connection.
                    DatabaseProperties settings = properties.getObject();
                    pool.setConnectionInitSql("set lock_timeout = " + settings.lockTimeout().toMillis() + "; set statement_timeout = "
                            + settings.statementTimeout().toMillis());
                }
                return bean;
            }

            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof HikariDataSource pool
                        ? new FailFastDataSource(pool, status.getObject(), properties.getObject().connectionWait()) : bean;
            }
        };
    }

    @Bean(initMethod = "install", destroyMethod = "uninstall")
    OutageLogs outageLogs(DatabaseStatus status, DatabaseProperties properties) {
        return new OutageLogs(status, properties.quietOutageLogs());
    }

    @Bean("database")
    DatabaseProbe databaseProbe(DataSourceProperties dataSource, DatabaseProperties properties, DatabaseStatus status,
                                OutageLogs logs, Clock clock, ObjectProvider<javax.sql.DataSource> pool) {
        return new DatabaseProbe(dataSource, properties, status, logs, clock, pool);
    }
}
