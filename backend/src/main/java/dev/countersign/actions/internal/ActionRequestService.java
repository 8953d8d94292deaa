package dev.countersign.actions.internal;

import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.AwaitingApproval;
import dev.countersign.actions.Verdict;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

@Component
class ActionRequestService implements ActionRequests {

    private final ActionRequestRepository requests;
    private final ActionRequestAssembler assembler;
    private final Decisions decisions;
    private final RequestSearch lists;
    private final DecisionWaiters waiters;
    private final Voting voting;

    ActionRequestService(ActionRequestRepository requests, ActionRequestAssembler assembler, Decisions decisions, RequestSearch lists,
                         DecisionWaiters waiters, Voting voting) {
        this.voting = voting;
        this.waiters = waiters;
        this.requests = requests;
        this.assembler = assembler;
        this.decisions = decisions;
        this.lists = lists;
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<ActionRequest> find(String id) {
        return requests.findById(id).map(assembler::of);
    }

    @Override
    public List<String> subjects(String id) {
        return requests.subjects(id);
    }

    @Override
    public Optional<ActionStatus> status(String id) {
        return requests.status(id);
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Locked> lock(String id) {
        return requests.locked(id).map(row -> voting.locked(row, assembler.of(row)));
    }

    @Override
    @Transactional
    public Optional<ActionRequest> decide(String id, Verdict verdict) {
        return decisions.decide(id, verdict).map(decided -> {
            // With its grant, for this instance's waiting agent only (issued in this transaction: no read).
            return waiters.decidedInThisTransaction(assembler.of(decided.row(), decided.grant()));
        });
    }

    @Override
    @Transactional(readOnly = true)
    public List<AwaitingApproval> awaitingSince(Instant createdBefore) {
        return requests.findByStatusAndCreatedAtBeforeOrderByCreatedAt(ActionStatus.PENDING, createdBefore).stream()
                .map(r -> new AwaitingApproval(r.id(), r.rule(), r.expiresAt(), r.remindAt()))
                .toList();
    }

    @Override
    public List<String> decidedAmong(Collection<String> ids, Instant decidedBefore) {
        return requests.decidedAmong(ids, decidedBefore);
    }

    @Override
    @Transactional(readOnly = true)
    public List<ActionRequest> forApprover(Collection<String> principals, ActionStatus status, Cursor after, int limit) {
        return load(lists.forApprover(principals, status, after, limit));
    }

    @Override
    @Transactional(readOnly = true)
    public List<ActionRequest> search(Search search, Cursor after, int limit) {
        return load(lists.search(search, after, limit));
    }

    @Override
    @Transactional(readOnly = true)
    public long count(Search search) {
        return lists.count(search);
    }

    @Override
    @Transactional(readOnly = true)
    public List<ActionRequest> history(String actionHash, String excludingId, int limit) {
        return requests.findByActionHashAndIdNotAndStatusNotOrderByCreatedAtDesc(actionHash, excludingId, ActionStatus.PENDING,
                Limit.of(limit)).stream().map(assembler::of).toList();
    }

    /** The requests of these ids, in the ids' order. */
    private List<ActionRequest> load(List<String> ids) {
        Map<String, ActionRequestRow> byId = new HashMap<>();
        requests.findAllById(ids).forEach(r -> byId.put(r.id(), r));
        return ids.stream().map(byId::get).map(assembler::of).toList();
    }
}
