package io.runnel.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartImageTest {

    @TempDir
    Path dir;

    @Test
    void shouldDrawAPngWithAFailedSideAsText() throws Exception {
        Path file = dir.resolve("chart.png");
        List<ChartImage.Bars> latency = List.of(
                new ChartImage.Bars("p50", Optional.of(new Spread(1, 0.8, 1.2, 3)), Optional.of(new Spread(2, 1.5, 3, 3))),
                new ChartImage.Bars("p99", Optional.of(new Spread(5, 4, 9, 3)), Optional.empty()));
        List<ChartImage.Bars> throughput = List.of(
                new ChartImage.Bars("ProducerPerf, 1p, acks=1", Optional.of(new Spread(90, 80, 95, 3)),
                        Optional.of(new Spread(70, 60, 75, 3))));

        ChartImage.write(file, "title", "Kafka 4.3.1", latency, "runnel perf e2e", throughput);

        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isEqualTo(1600);
        assertThat(image.getHeight()).isEqualTo(860);
    }

    @Test
    void shouldRoundTheAxisUpToOneTwoOrFive() {
        assertThat(ChartImage.niceTop(8.0)).isEqualTo(10.0);
        assertThat(ChartImage.niceTop(120)).isEqualTo(200.0);
        assertThat(ChartImage.niceTop(400)).isEqualTo(500.0);
        assertThat(ChartImage.niceTop(0)).isEqualTo(1.0);
    }
}
