package dev.countersign.actions.web;

import dev.countersign.actions.PolicySimulator;
import dev.countersign.identity.Callers;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/policy/simulate} (admins): what a draft policy and/or catalog would have decided differently. */
@RestController
class SimulationController {

    private final PolicySimulator simulator;
    private final Callers callers;

    SimulationController(PolicySimulator simulator, Callers callers) {
        this.simulator = simulator;
        this.callers = callers;
    }

    /** Either draft may be left out (the one in force is used); {@code days} defaults to 7. */
    record Drafts(String policy, String catalog, Integer days) {
    }

    @PostMapping(path = "/api/v1/policy/simulate", consumes = "application/json")
    PolicySimulator.Simulation simulate(@RequestBody Drafts drafts) {
        callers.requireAdmin();
        return simulator.simulate(blankToNull(drafts.policy()), blankToNull(drafts.catalog()), drafts.days() == null ? 7 : drafts.days());
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
