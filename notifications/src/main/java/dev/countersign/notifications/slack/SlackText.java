package dev.countersign.notifications.slack;

/**
 * Text for Slack. What an agent wrote never goes into a {@code mrkdwn} object unescaped: Slack
 * reads {@code <!channel>}, {@code <@U…>} and {@code <https://…|label>} there. Agent text is put in
 * {@code plain_text} objects or preformatted rich text (shown literally); where mrkdwn is
 * unavoidable (the notification's fallback text) it passes through {@link #escape}.
 */
final class SlackText {

    private SlackText() {
    }

    /** Slack's three control characters, as its formatting reference says to escape them. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** At most {@code max} characters (by code point, so no surrogate pair is cut), with an ellipsis when cut. */
    static String truncate(String text, int max) {
        if (text == null || text.codePointCount(0, text.length()) <= max) {
            return text;
        }
        int end = text.offsetByCodePoints(0, max - 1);
        return text.substring(0, end) + "…";
    }

    static boolean isTruncated(String text, int max) {
        return text != null && text.codePointCount(0, text.length()) > max;
    }
}
