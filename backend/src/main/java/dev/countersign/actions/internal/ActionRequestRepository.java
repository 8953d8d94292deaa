package dev.countersign.actions.internal;

import dev.countersign.actions.ActionStatus;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface ActionRequestRepository extends JpaRepository<ActionRequestRow, String> {

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select r from ActionRequestRow r where r.id = :id")
    Optional<ActionRequestRow> findForUpdate(@Param("id") String id);

    List<ActionRequestRow> findByActionHashAndIdNotAndStatusNotOrderByCreatedAtDesc(String actionHash, String id,
                                                                                         ActionStatus status, Limit limit);

    List<ActionRequestRow> findByStatusAndCreatedAtBeforeOrderByCreatedAt(ActionStatus status, Instant before);

    List<ActionRequestRow> findByIdInAndStatusNot(Collection<String> ids, ActionStatus status);
}
