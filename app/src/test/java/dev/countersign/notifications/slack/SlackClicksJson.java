package dev.countersign.notifications.slack;

import tools.jackson.databind.json.JsonMapper;

final class SlackClicksJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SlackClicksJson() {
    }

    static String triggerOf(String payload) {
        return JSON.readTree(payload).get("trigger_id").asString();
    }
}
