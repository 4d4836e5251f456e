package dev.tally.bench;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Both phases of a ratio run warm: each is warmed before either is measured, each after its setup. */
class WarmComparisonTest {

    @Test
    void bothPhasesAreWarmedBeforeEitherIsMeasuredAndTheRatioIsOfTheMeasuredPair() throws Exception {
        List<String> runs = new ArrayList<>();
        WarmComparison.Runner runner = new WarmComparison.Runner() {
            @Override
            public void warmUp(String name, Supplier<CompletableFuture<AggregatedHttpResponse>> request) {
                runs.add("warm " + name);
            }

            @Override
            public LoadResult measure(String name, Supplier<CompletableFuture<AggregatedHttpResponse>> request) {
                runs.add("measure " + name);
                return new LoadResult(name, name.equals("A") ? 100 : 90, 1, 1.0, new Histogram(3), Map.of(), 0);
            }
        };

        WarmComparison.Result result = WarmComparison.run(runner,
                new WarmComparison.Phase("A", () -> null, () -> runs.add("enter A")),
                new WarmComparison.Phase("B", () -> null, () -> runs.add("enter B")));

        assertThat(runs).containsExactly("enter A", "warm A", "enter B", "warm B",
                "enter A", "measure A", "enter B", "measure B");
        assertThat(result.ratio()).isEqualTo(0.9);
    }
}
