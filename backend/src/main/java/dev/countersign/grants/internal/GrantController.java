package dev.countersign.grants.internal;

import dev.countersign.common.ApiProblem;
import dev.countersign.identity.Caller;
import dev.countersign.identity.Callers;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class GrantController {

    private final GrantRedemption redemption;
    private final SigningKeys keys;
    private final Callers callers;

    GrantController(GrantRedemption redemption, SigningKeys keys, Callers callers) {
        this.redemption = redemption;
        this.keys = keys;
        this.callers = callers;
    }

    @GetMapping(path = "/.well-known/jwks.json", produces = "application/json")
    Map<String, Object> jwks() {
        keys.signingKey();
        return keys.publicKeys().toJSONObject(true);
    }

    record RedeemBody(String grant, String actionHash) {
    }

    /** Called by the tool gateway that is about to execute the action, with its own token. */
    @PostMapping(path = "/api/v1/grants/redeem", consumes = "application/json")
    dev.countersign.grants.GrantRedeemer.Redeemed redeem(@RequestBody RedeemBody body) {
        Caller caller = callers.current();
        if (!(caller instanceof Caller.Gateway)) {
            throw ApiProblem.forbidden("Only a tool gateway's token may redeem grants: the gateway that executes the tool "
                    + "redeems, so an agent cannot burn or replay its own grant");
        }
        return redemption.redeem(body.grant(), body.actionHash(), caller.id());
    }
}
