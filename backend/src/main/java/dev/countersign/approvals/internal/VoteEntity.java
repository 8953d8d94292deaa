package dev.countersign.approvals.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** One approver's vote on one request; the composite primary key is the one-vote rule. */
@Entity
@Table(name = "vote")
@IdClass(VoteEntity.Key.class)
class VoteEntity {

    @Id
    private String requestId;
    @Id
    private String approver;
    private String vote;
    private String comment;
    private String channel;
    @Column(name = "cast_at")
    private Instant castAt;

    protected VoteEntity() {
    }


    String requestId() { return requestId; }
    String approver() { return approver; }
    String vote() { return vote; }
    String comment() { return comment; }
    String channel() { return channel; }
    Instant castAt() { return castAt; }

    record Key(String requestId, String approver) implements Serializable {
    }
}
