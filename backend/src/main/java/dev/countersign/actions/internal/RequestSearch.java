package dev.countersign.actions.internal;

import dev.countersign.actions.ActionRequests.Cursor;
import dev.countersign.actions.ActionRequests.Search;
import dev.countersign.actions.ActionStatus;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The SQL behind the lists (inbox, history, count): ids in keyset order, one page at a time. */
@Component
class RequestSearch {

    private final JdbcClient jdbc;

    RequestSearch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<String> forApprover(Collection<String> principals, ActionStatus status, Cursor after, int limit) {
        if (principals.isEmpty()) {
            return List.of();
        }
        var sql = new StringBuilder("""
                select r.id from action_request r
                 where r.status = :status
                   and exists (select 1 from action_request_approver a where a.request_id = r.id and a.principal in (:principals))""");
        Map<String, Object> params = new HashMap<>();
        params.put("status", status.name());
        params.put("principals", principals);
        return page(sql, params, after, limit);
    }

    List<String> search(Search search, Cursor after, int limit) {
        if (search.visibleTo() != null && search.visibleTo().isEmpty()) {
            return List.of();
        }
        Map<String, Object> params = new HashMap<>();
        return page(new StringBuilder("select r.id from action_request r where ").append(where(search, params)), params, after, limit);
    }

    long count(Search search) {
        if (search.visibleTo() != null && search.visibleTo().isEmpty()) {
            return 0;
        }
        Map<String, Object> params = new HashMap<>();
        return jdbc.sql("select count(*) from action_request r where " + where(search, params)).params(params).query(Long.class).single();
    }

    private List<String> page(StringBuilder sql, Map<String, Object> params, Cursor after, int limit) {
        if (after != null) {
            sql.append(" and (r.created_at < :createdAt or (r.created_at = :createdAt and r.id < :id))");
            params.put("createdAt", Timestamp.from(after.createdAt()));
            params.put("id", after.id());
        }
        sql.append(" order by r.created_at desc, r.id desc limit :limit");
        params.put("limit", limit);
        return jdbc.sql(sql.toString()).params(params).query(String.class).list();
    }

    /** The search's conditions, one SQL text for the page and for the count. */
    private static String where(Search search, Map<String, Object> params) {
        var sql = new StringBuilder("1 = 1");
        if (search.visibleTo() != null) {
            sql.append(" and exists (select 1 from action_request_approver a where a.request_id = r.id and a.principal in (:principals))");
            params.put("principals", search.visibleTo());
        }
        condition(sql, params, "r.status = :status", "status", search.status() == null ? null : search.status().name());
        condition(sql, params, "r.tool = :tool", "tool", search.tool());
        condition(sql, params, "r.agent_id = :agent", "agent", search.agent());
        condition(sql, params, "r.category = :category", "category", search.category());
        condition(sql, params, "r.environment = :environment", "environment", search.environment());
        if (search.text() != null && !search.text().isBlank()) {
            sql.append(" and (r.id = :text or lower(r.tool) like :like or lower(r.agent_id) like :like"
                    + " or lower(r.resource) like :like or lower(r.justification) like :like)");
            params.put("text", search.text().strip());
            params.put("like", "%" + search.text().strip().toLowerCase(Locale.ROOT)
                    .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        return sql.toString();
    }

    private static void condition(StringBuilder sql, Map<String, Object> params, String clause, String name, String value) {
        if (value != null && !value.isBlank()) {
            sql.append(" and ").append(clause);
            params.put(name, value.strip());
        }
    }
}
