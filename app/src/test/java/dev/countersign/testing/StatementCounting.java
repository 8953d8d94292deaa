package dev.countersign.testing;

import jakarta.servlet.Filter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Counts the SQL statements an HTTP request executes on its own thread, for requests that carry
 * {@code X-Count-Statements}: the data source is wrapped (JDK proxies over connection and
 * statements), a filter marks the request's thread, and the statements it runs are recorded in
 * order. Work the request hands to other threads (after-commit listeners, the engine) is not
 * counted. Test-only: issue 16 keeps these counts from growing.
 */
@TestConfiguration(proxyBeanMethods = false)
public class StatementCounting {

    public static final String HEADER = "X-Count-Statements";
    private static final ThreadLocal<List<String>> COUNTING = new ThreadLocal<>();
    private static final ThreadLocal<int[]> COMMITTING = new ThreadLocal<>();
    private static volatile List<String> last = List.of();
    private static volatile int lastCommits;

    /** The statements of the last counted request, in the order they ran. */
    public static List<String> lastRequest() {
        return last;
    }

    /** How many transactions the last counted request committed on its own thread (commits are not statements above). */
    public static int lastRequestCommits() {
        return lastCommits;
    }

    @Bean
    static BeanPostProcessor countingDataSource() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof DataSource dataSource && !(Proxy.isProxyClass(bean.getClass())) ? wrap(dataSource) : bean;
            }
        };
    }

    @Bean
    FilterRegistrationBean<Filter> countingFilter() {
        Filter filter = (request, response, chain) -> {
            boolean counted = request instanceof jakarta.servlet.http.HttpServletRequest http && http.getHeader(HEADER) != null;
            if (!counted) {
                chain.doFilter(request, response);
                return;
            }
            List<String> statements = new ArrayList<>();
            int[] commits = new int[1];
            COUNTING.set(statements);
            COMMITTING.set(commits);
            try {
                chain.doFilter(request, response);
            } finally {
                COUNTING.remove();
                COMMITTING.remove();
                last = List.copyOf(statements);
                lastCommits = commits[0];
            }
        };
        var registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    private static DataSource wrap(DataSource target) {
        return proxy(DataSource.class, target, (method, args, result) -> result instanceof Connection connection
                ? proxy(Connection.class, connection, StatementCounting::onConnection) : result);
    }

    private static Object onConnection(java.lang.reflect.Method method, Object[] args, Object result) {
        int[] commits = COMMITTING.get();
        if (commits != null && method.getName().equals("commit")) {
            commits[0]++;
        }
        if (result instanceof Statement statement) {
            String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : null;
            @SuppressWarnings("unchecked")
            Class<Statement> type = (Class<Statement>) (Class<?>) (result instanceof java.sql.CallableStatement ? java.sql.CallableStatement.class
                    : result instanceof java.sql.PreparedStatement ? java.sql.PreparedStatement.class : Statement.class);
            return proxy(type, statement, (m, a, r) -> {
                if (EXECUTES.contains(m.getName())) {
                    record(sql != null ? sql : a != null && a.length > 0 ? String.valueOf(a[0]) : m.getName());
                }
                return r;
            });
        }
        return result;
    }

    private static final Set<String> EXECUTES = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "executeBatch",
            "executeLargeBatch");

    private static void record(String sql) {
        List<String> statements = COUNTING.get();
        if (statements != null) {
            statements.add(sql.replaceAll("\\s+", " ").strip());
        }
    }

    private interface After {
        Object apply(java.lang.reflect.Method method, Object[] args, Object result);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, After after) {
        InvocationHandler handler = (self, method, args) -> {
            try {
                return after.apply(method, args, method.invoke(target, args));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        Set<Class<?>> interfaces = new java.util.LinkedHashSet<>(List.of(target.getClass().getInterfaces()));
        interfaces.add(type);
        return (T) Proxy.newProxyInstance(type.getClassLoader(), interfaces.toArray(Class<?>[]::new), handler);
    }
}
