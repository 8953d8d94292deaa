package dev.countersign.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A folder of npm packages pinned in its package-lock.json that tests use: installed on first use, so `./mvnw verify` needs only Node. */
public final class NpmFolder {

    private NpmFolder() {
    }

    /**
     * Runs {@code npm ci} in {@code folder} unless {@code marker} (a file the packages bring) is there already (.ci/run
     * installs them up front); fails saying how to install them by hand.
     */
    public static synchronized void require(Path folder, Path marker, String what) {
        if (Files.exists(marker)) {
            return;
        }
        try {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(folder.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0 || !Files.exists(marker)) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci in " + folder + " failed");
            }
        } catch (IOException | InterruptedException | IllegalStateException e) {
            Path relative = Path.of("").toAbsolutePath().getParent().relativize(folder);
            throw new IllegalStateException(what + " (pinned in " + relative + "/package-lock.json) are not installed and `npm ci` could "
                    + "not install them: install Node.js 20+ and run `npm ci --prefix " + relative + "`", e);
        }
    }
}
