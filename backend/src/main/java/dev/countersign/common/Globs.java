package dev.countersign.common;

import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Tool-name globs: {@code *} matches any run of characters, everything else is literal. */
public final class Globs {

    private Globs() {
    }

    public static boolean matches(String glob, String value) {
        if (value == null) {
            return false;
        }
        String regex = Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
        return Pattern.matches(regex, value);
    }
}
