package dev.agentry.worker.sandbox;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The sandbox settings, beside the other {@code agentry.worker.*} properties.
 *
 * @param sandbox {@code bubblewrap} (the default: the worker refuses to start without a working {@code bwrap}),
 *     {@code auto} (bubblewrap when it works, otherwise none with a warning: the local platform) or {@code none}
 *     (the operator's explicit opt-out, logged as a warning at startup)
 * @param sandboxBwrap the bubblewrap executable, a path or a name on {@code PATH}
 * @param sandboxReadOnlyPaths more paths every sandbox sees read-only (a tool installation outside {@code /usr})
 */
@ConfigurationProperties("agentry.worker")
record SandboxProperties(String sandbox, String sandboxBwrap, List<Path> sandboxReadOnlyPaths) {

    SandboxProperties(
            @DefaultValue("bubblewrap") String sandbox,
            @DefaultValue("bwrap") String sandboxBwrap,
            @Nullable List<Path> sandboxReadOnlyPaths) {
        this.sandbox = sandbox;
        this.sandboxBwrap = sandboxBwrap;
        this.sandboxReadOnlyPaths = sandboxReadOnlyPaths == null ? List.of() : List.copyOf(sandboxReadOnlyPaths);
    }
}
