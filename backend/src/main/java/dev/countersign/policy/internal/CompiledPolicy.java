package dev.countersign.policy.internal;

import dev.cel.runtime.CelEvaluationException;
import dev.countersign.catalog.ToolCatalog;
import dev.countersign.documents.YamlDocuments;
import dev.countersign.policy.ActionFacts;
import dev.countersign.policy.Policy;
import dev.countersign.policy.PolicyDecision;
import dev.countersign.policy.PolicyDecision.Effect;
import dev.countersign.policy.SlackRoute;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.convert.DurationStyle;

/**
 * One policy version, validated and compiled: every {@code when} type-checked and every example
 * under {@code tests:} decided as written against the catalog it is compiled with. Immutable;
 * {@link ActivePolicy} swaps it when another version is put in force. A policy with a mistake
 * never compiles, so it can neither start the product nor be activated.
 */
final class CompiledPolicy implements Policy {

    private static final Logger log = LoggerFactory.getLogger(CompiledPolicy.class);
    static final String FALLBACK_RULE = "default-admin-approval";
    static final String DEFAULT_CURRENCY = "EUR";

    private final List<Rule> rules;
    private final String version;
    private final String source;
    private final Clock clock;
    private final int tests;

    /** @param where how people find this text ("version 3", a file location), for error messages */
    CompiledPolicy(YamlDocuments.Source source, String where, ToolCatalog catalog, Clock clock) {
        this.clock = clock;
        this.source = source.text();
        this.version = source.version();
        PolicyDocument document = read(this.source, where);
        this.rules = rules(document, where);
        this.tests = PolicyTests.check(document.tests(), this, catalog, where);
    }

    int size() {
        return rules.size();
    }

    int tests() {
        return tests;
    }

    static List<Rule> parse(String yaml, String location) {
        return rules(read(yaml, location), location);
    }

    private static PolicyDocument read(String yaml, String location) {
        PolicyDocument document = YamlDocuments.read(yaml, PolicyDocument.class, "Policy", location);
        if (document == null || document.rules() == null) {
            throw new IllegalStateException("Policy " + location + " has no 'rules:' list");
        }
        return document;
    }

    private static List<Rule> rules(PolicyDocument document, String location) {
        String currency = document.currency() == null ? DEFAULT_CURRENCY : document.currency();
        if (!currency.matches("[A-Z]{3}")) {
            throw new IllegalStateException("Policy " + location + ": currency '" + currency + "' is not an ISO 4217 code such as EUR");
        }
        List<Rule> rules = new ArrayList<>();
        for (var doc : document.rules()) {
            rules.add(rule(doc, location, currency));
        }
        return List.copyOf(rules);
    }

    /** What a rule stores with every request it decides fits its column (action_request, action_request_approver), the default reason included. */
    static final int MAX_NAME = 128;
    static final int MAX_REASON = 1000;
    static final int MAX_PRINCIPAL = 255;
    static final int MAX_APPROVERS = 1500;

    private static Rule rule(PolicyDocument.RuleDocument doc, String location, String defaultCurrency) {
        String where = "Policy " + location + ", rule '" + doc.name() + "': ";
        if (doc.name() == null || doc.name().isBlank()) {
            throw new IllegalStateException("Policy " + location + ": every rule needs a name");
        }
        // Each of these is stored with every request the rule decides: a policy that could not be stored is refused here,
        // not on an agent's ask.
        if (doc.name().length() > MAX_NAME) {
            throw new IllegalStateException(where + "a rule's name is at most " + MAX_NAME + " characters");
        }
        if (doc.reason() != null && doc.reason().length() > MAX_REASON) {
            throw new IllegalStateException(where + "reason is at most " + MAX_REASON + " characters");
        }
        if (doc.effect() == null) {
            throw new IllegalStateException(where + "effect is required (allow, deny or approve)");
        }
        Effect effect;
        try {
            effect = Effect.valueOf(doc.effect().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + "effect must be allow, deny or approve, not '" + doc.effect() + "'");
        }
        var m = doc.match();
        Rule.Match match = m == null ? new Rule.Match(null, null, null, null, null)
                : new Rule.Match(m.tool(), m.category(), m.environment(), m.dataClassification(),
                m.amount() == null ? null : new Rule.AmountRange(m.amount().lt(), m.amount().lte(), m.amount().gt(),
                        m.amount().gte(), m.amount().currency() == null ? defaultCurrency : m.amount().currency()));
        Condition when = doc.when() == null || doc.when().isBlank() ? null : Condition.compile(doc.when(), where);
        if (effect != Effect.APPROVE) {
            if (doc.slack() != null || doc.process() != null || doc.onApproval() != null || doc.standing() != null || doc.stepUp() != null
                    || doc.groupApproval() != null) {
                throw new IllegalStateException(where + "slack, process, onApproval, standing, stepUp and groupApproval only apply to approve rules");
            }
            return new Rule(doc.name(), match, when, effect, doc.reason(), List.of(), 0, null, null, null, null, false, null, null, false);
        }
        List<String> approvers = doc.approvers() == null ? List.of() : doc.approvers();
        if (approvers.isEmpty() || approvers.stream().anyMatch(a -> !a.startsWith("group:") && !a.startsWith("user:"))) {
            throw new IllegalStateException(where + "approve needs approvers, each 'group:<name>' or 'user:<id>'");
        }
        if (approvers.stream().anyMatch(a -> a.length() > MAX_PRINCIPAL) || String.join(",", approvers).length() > MAX_APPROVERS) {
            throw new IllegalStateException(where + "approvers are at most " + MAX_PRINCIPAL + " characters each and "
                    + MAX_APPROVERS + " together");
        }
        int quorum = doc.quorum() == null ? 1 : doc.quorum();
        if (quorum < 1) {
            throw new IllegalStateException(where + "quorum must be at least 1");
        }
        Duration timeout = duration(doc.timeout(), Duration.ofHours(1), where + "timeout");
        Duration reminder = doc.reminder() == null ? null : duration(doc.reminder(), null, where + "reminder");
        if (doc.process() != null && !doc.process().matches("[A-Za-z_][A-Za-z0-9_.-]{0,254}")) {
            throw new IllegalStateException(where + "process '" + doc.process() + "' is not a BPMN process id");
        }
        if (doc.onApproval() != null && !List.of("run", "hold").contains(doc.onApproval())) {
            throw new IllegalStateException(where + "onApproval is run (the approved call runs at once, also when nobody waits for "
                    + "it) or hold (it runs when the agent calls again, until the approval expires), not '" + doc.onApproval() + "'");
        }
        return new Rule(doc.name(), match, when, effect, doc.reason(), approvers, quorum, timeout, reminder, slack(doc.slack(), where),
                doc.process(), "hold".equals(doc.onApproval()), standing(doc.standing(), where), stepUp(doc.stepUp(), where),
                Boolean.TRUE.equals(doc.groupApproval()));
    }

    /** {@code stepUp: {maxAge: 5m}}: how recent the approver's sign-in must be for a vote to count (at most a day). */
    private static Duration stepUp(PolicyDocument.StepUpDocument doc, String where) {
        if (doc == null) {
            return null;
        }
        Duration maxAge = duration(doc.maxAge(), Duration.ofMinutes(5), where + "stepUp.maxAge");
        if (maxAge.isZero() || maxAge.isNegative() || maxAge.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalStateException(where + "stepUp.maxAge is more than 0 and at most 1d (e.g. 5m): how recent an approver's "
                    + "sign-in must be");
        }
        return maxAge;
    }

    private static dev.countersign.policy.StandingCap standing(PolicyDocument.StandingDocument doc, String where) {
        if (doc == null) {
            return null;
        }
        if (doc.maxAge() == null) {
            throw new IllegalStateException(where + "standing.maxAge is required: how long a standing approval under this rule may "
                    + "last at most (e.g. 8h)");
        }
        Duration maxAge = duration(doc.maxAge(), null, where + "standing.maxAge");
        if (maxAge.compareTo(Duration.ofDays(30)) > 0) {
            throw new IllegalStateException(where + "standing.maxAge is at most 30d: a standing approval must end");
        }
        if (doc.maxUses() != null && doc.maxUses() < 1) {
            throw new IllegalStateException(where + "standing.maxUses must be at least 1");
        }
        return new dev.countersign.policy.StandingCap(maxAge, doc.maxUses());
    }

    private static SlackRoute slack(PolicyDocument.SlackDocument doc, String where) {
        if (doc == null) {
            return null;
        }
        String channel = doc.channel() == null || doc.channel().isBlank() ? null : doc.channel().strip();
        if (channel != null && !channel.matches("#[a-z0-9][a-z0-9_-]{0,79}|[CGD][A-Z0-9]{6,}")) {
            throw new IllegalStateException(where + "slack.channel '" + doc.channel()
                    + "' is neither a channel name (#payments-approvals) nor a channel id (C0123ABCD)");
        }
        return new SlackRoute(channel, doc.dm() != null && doc.dm());
    }

    private static Duration duration(String text, Duration fallback, String what) {
        if (text == null) {
            return fallback;
        }
        try {
            Duration value = DurationStyle.detectAndParse(text);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalStateException(what + " must be positive");
            }
            return value;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(what + " '" + text + "' is not a duration (e.g. 30m, 1h, PT15M)");
        }
    }

    @Override
    public PolicyDecision evaluate(ActionFacts action) {
        Instant now = clock.instant();
        for (Rule rule : rules) {
            boolean matches;
            try {
                matches = rule.matches(action, now);
            } catch (CelEvaluationException e) {
                // Skipping the rule could skip a deny; deciding by it could allow. Neither: a human decides.
                log.warn("Policy rule '{}' could not be evaluated for {}: {}", rule.name(), action.tool(), e.getMessage());
                String why = e.getMessage() == null ? "" : e.getMessage();
                return adminApproval("Rule '" + rule.name() + "' could not be evaluated for this action ("
                        + (why.length() > 500 ? why.substring(0, 500) + "…" : why) + "), so one admin must approve it (fail closed)");
            }
            if (matches) {
                return new PolicyDecision(rule.effect(), rule.name(), version,
                        rule.reason() != null ? rule.reason() : defaultReason(rule),
                        rule.approvers(), rule.quorum(), rule.timeout(), rule.reminder(), rule.hold());
            }
        }
        return adminApproval("No rule matched this action, so one admin must approve it (fail closed)");
    }

    private PolicyDecision adminApproval(String reason) {
        return new PolicyDecision(Effect.APPROVE, FALLBACK_RULE, version, reason, List.of("group:admin"), 1, Duration.ofHours(1), null, false);
    }

    private static String defaultReason(Rule rule) {
        return switch (rule.effect()) {
            case ALLOW -> "Allowed by rule '" + rule.name() + "'";
            case DENY -> "Denied by rule '" + rule.name() + "'";
            case APPROVE -> "Rule '" + rule.name() + "' needs " + rule.quorum() + " approval(s) from " + String.join(", ", rule.approvers());
        };
    }

    @Override
    public Optional<dev.countersign.policy.StandingCap> standingCap(String ruleName) {
        return rules.stream().filter(rule -> rule.name().equals(ruleName)).findFirst().map(Rule::standing);
    }

    @Override
    public Optional<Duration> stepUp(String ruleName) {
        return rules.stream().filter(rule -> rule.name().equals(ruleName)).findFirst().map(Rule::stepUp);
    }

    @Override
    public boolean approvesInGroups(String ruleName) {
        return rules.stream().anyMatch(rule -> rule.name().equals(ruleName) && rule.groupApproval());
    }

    @Override
    public Optional<String> processFor(String ruleName) {
        return rules.stream().filter(rule -> rule.name().equals(ruleName)).findFirst().map(Rule::process);
    }

    @Override
    public Optional<SlackRoute> slackRoute(String ruleName) {
        return rules.stream().filter(rule -> rule.name().equals(ruleName)).findFirst().map(Rule::slack);
    }

    @Override
    public boolean readsHistory(ActionFacts action) {
        return rules.stream().anyMatch(rule -> rule.when() != null && rule.when().readsHistory() && rule.match().matches(action));
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public String source() {
        return source;
    }
}
