package dev.countersign.actions.internal;

import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.DecidedBy;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface ActionRequestRepository extends JpaRepository<ActionRequestRow, String> {

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select r from ActionRequestRow r where r.id = :id")
    Optional<ActionRequestRow> findForUpdate(@Param("id") String id);

    /** The only way a request leaves PENDING: of concurrent deciders, exactly one sees 1. */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("""
            update ActionRequestRow r
               set r.status = :outcome, r.decidedBy = :by, r.decisionReason = :reason, r.reasonCode = :reasonCode,
                   r.decidedAt = :now, r.updatedAt = :now
             where r.id = :id and r.status = dev.countersign.actions.ActionStatus.PENDING""")
    int decide(@Param("id") String id, @Param("outcome") ActionStatus outcome, @Param("by") DecidedBy by,
               @Param("reason") String reason, @Param("reasonCode") String reasonCode, @Param("now") Instant now);

    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update ActionRequestRow r set r.updatedAt = :now where r.id = :id")
    int touch(@Param("id") String id, @Param("now") Instant now);

    List<ActionRequestRow> findByActionHashAndIdNotAndStatusNotOrderByCreatedAtDesc(String actionHash, String id,
                                                                                         ActionStatus status, Limit limit);

    List<ActionRequestRow> findByStatusAndCreatedAtBeforeOrderByCreatedAt(ActionStatus status, Instant before);

    List<ActionRequestRow> findByIdInAndStatusNot(Collection<String> ids, ActionStatus status);
}
