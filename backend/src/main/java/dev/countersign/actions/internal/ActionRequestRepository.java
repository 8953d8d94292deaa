package dev.countersign.actions.internal;

import dev.countersign.actions.ActionStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

/** The one store of requests: Spring Data for queries, {@link RequestRowStatements} for the measured hot paths. */
interface ActionRequestRepository extends JpaRepository<ActionRequestRow, String>, RequestRowStatements {

    List<ActionRequestRow> findByActionHashAndIdNotAndStatusNotOrderByCreatedAtDesc(String actionHash, String id,
                                                                                         ActionStatus status, Limit limit);

    List<ActionRequestRow> findByStatusAndCreatedAtBeforeOrderByCreatedAt(ActionStatus status, Instant before);

    List<ActionRequestRow> findByIdInAndStatusNot(Collection<String> ids, ActionStatus status);
}
