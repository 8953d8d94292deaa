package dev.countersign.approvals.internal;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

interface VoteRepository extends JpaRepository<VoteEntity, VoteEntity.Key> {

    List<VoteEntity> findByRequestIdOrderByCastAt(String requestId);
}
