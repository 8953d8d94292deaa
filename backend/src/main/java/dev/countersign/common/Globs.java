package dev.countersign.common;

/**
 * Tool-name globs: {@code *} matches any run of characters, everything else is literal. Matched
 * without regular expressions: building a pattern for every check was a visible part of each
 * ask (the agent's tool list, the catalog entry, every policy rule; JFR on the replay row). The
 * meaning is the regular expression's that it replaced, {@code *} as {@code .*} and the rest
 * quoted, line terminators included (a {@code .} does not match them); {@code GlobsTest}
 * compares the two on generated globs and names.
 */
public final class Globs {

    private Globs() {
    }

    public static boolean matches(String glob, String value) {
        if (value == null) {
            return false;
        }
        int g = 0;
        int v = 0;
        // The last star seen, and where in the value its run would end if it took one character more.
        int star = -1;
        int resume = 0;
        while (v < value.length()) {
            char c = value.charAt(v);
            if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                resume = v;
            } else if (g < glob.length() && glob.charAt(g) == c) {
                g++;
                v++;
            } else if (star >= 0 && !isLineTerminator(value.charAt(resume))) {
                // Let the last star take one character more and match the rest of the glob again from there.
                g = star + 1;
                v = ++resume;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    /** What {@code .} in a regular expression without flags does not match. */
    private static boolean isLineTerminator(char c) {
        return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }
}
