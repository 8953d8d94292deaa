package dev.countersign;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.jayway.jsonpath.JsonPath;
import java.util.UUID;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * The agent API as module tests call it: through the real controller and security filters, with
 * the agent's token stood in by a JWT whose subject is the agent (the issuer is not under test).
 */
public final class AgentCalls {

    private final MockMvc mvc;
    private final String agent;

    public AgentCalls(WebApplicationContext context, String agent) {
        this.mvc = MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
        this.agent = agent;
    }

    public ResultActions ask(String body) throws Exception {
        return ask(body, UUID.randomUUID().toString());
    }

    public ResultActions ask(String body, String idempotencyKey) throws Exception {
        return mvc.perform(post("/api/v1/actions").with(jwt().jwt(token -> token.subject(agent)))
                .header("Idempotency-Key", idempotencyKey).contentType("application/json").content(body));
    }

    /** A call with another registered caller's token (a gateway's, an approver's). */
    public ResultActions postAs(String subject, String path, String body) throws Exception {
        return mvc.perform(post(path).with(jwt().jwt(token -> token.subject(subject)))
                .contentType("application/json").content(body));
    }

    /** Asks and returns the new request's id. */
    public String asked(String body) throws Exception {
        return idOf(ask(body));
    }

    public static String idOf(ResultActions result) throws Exception {
        return JsonPath.read(result.andReturn().getResponse().getContentAsString(), "$.id");
    }

    /** A transfer to an account no other call uses: identical pending actions would coalesce. */
    public static String transfer() {
        return """
                {"tool":"payments.transfer","arguments":{"from":"acct-ops","to":"%s","amount":"1250.00"}}"""
                .formatted("acct-" + UUID.randomUUID());
    }
}
