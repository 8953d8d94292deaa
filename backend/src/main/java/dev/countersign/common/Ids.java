package dev.countersign.common;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable identifiers with a readable prefix ({@code act_…}): 144 random bits, URL-safe. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String random(String prefix) {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
