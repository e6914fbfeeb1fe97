package dev.agentry.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgumentsTest {

    @Test
    void readsSpacedAndEqualsOptions() {
        Arguments args = new Arguments(List.of("--rate", "250", "--duration=2m", "--warmup", "500ms"));

        assertThat(args.integer("rate", 1)).isEqualTo(250);
        assertThat(args.duration("duration", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
        assertThat(args.durationOrZero("warmup")).isEqualTo(Duration.ofMillis(500));
        args.rejectUnknown();
    }

    @Test
    void rejectsAMistypedOption() {
        Arguments args = new Arguments(List.of("--rte", "250"));
        args.integer("rate", 200);

        assertThatThrownBy(args::rejectUnknown).hasMessageContaining("--rte");
    }

    @Test
    void rejectsDurationsWithoutUnits() {
        assertThatThrownBy(() -> Arguments.parseDuration("duration", "30"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("30s");
    }

    @Test
    void takesTheTokenFromTheOptionThenTheEnvironment() {
        assertThat(Benchmark.token("given", Map.of("AGENTRY_TOKEN", "env"))).isEqualTo("given");
        assertThat(Benchmark.token(null, Map.of("AGENTRY_TOKEN", "env"))).isEqualTo("env");
    }
}
