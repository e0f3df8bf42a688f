package io.runnel.bench.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * Draws the comparison as a PNG with Java2D (headless): on the left, end-to-end latency percentiles at
 * the fixed rate; on the right, produce and consume throughput per scenario. Bars are medians, whiskers
 * the range over the rounds; Runnel and Kafka side by side.
 */
final class ChartImage {

    private static final int WIDTH = 1600;
    private static final int HEIGHT = 860;
    private static final Color RUNNEL = new Color(0x1b9e77);
    private static final Color KAFKA = new Color(0xd95f02);
    private static final Color GRID = new Color(0xdddddd);
    private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);

    /** One pair of bars: a label and each broker's spread. */
    record Bars(String label, Optional<Spread> runnel, Optional<Spread> kafka) {
        double top() {
            return Math.max(runnel.map(Spread::max).orElse(0.0), kafka.map(Spread::max).orElse(0.0));
        }
    }

    private ChartImage() {
    }

    static void write(Path file, String title, String kafkaTitle, List<Bars> latency, String latencyTitle,
                      List<Bars> throughput) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.BLACK);
            g.setFont(TITLE);
            g.drawString(title, 30, 30);
            legend(g, kafkaTitle);
            vertical(g, new Rectangle(100, 130, 420, 640), "End-to-end latency (ms, lower is better)", latencyTitle,
                    "ms", latency);
            horizontal(g, new Rectangle(930, 130, 620, 680), "Throughput (MB/s, higher is better)", throughput);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static void legend(Graphics2D g, String kafkaTitle) {
        g.setFont(TEXT);
        g.setColor(RUNNEL);
        g.fillRect(30, 48, 14, 14);
        g.setColor(Color.BLACK);
        g.drawString("Runnel", 50, 60);
        g.setColor(KAFKA);
        g.fillRect(130, 48, 14, 14);
        g.setColor(Color.BLACK);
        g.drawString(kafkaTitle, 150, 60);
        g.drawString("bars: median over rounds; whiskers: min–max", 320, 60);
    }

    private static void vertical(Graphics2D g, Rectangle area, String title, String subtitle, String unit,
                                 List<Bars> groups) {
        double scale = niceTop(groups.stream().mapToDouble(Bars::top).max().orElse(1));
        g.setFont(TITLE);
        g.setColor(Color.BLACK);
        g.drawString(title, area.x - 70, area.y - 36);
        g.setFont(TEXT);
        g.drawString(subtitle, area.x - 70, area.y - 16);
        for (int i = 0; i <= 5; i++) {
            int y = area.y + area.height - (int) (area.height * i / 5.0);
            g.setColor(GRID);
            g.drawLine(area.x, y, area.x + area.width, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(Spread.number(scale * i / 5) + " " + unit, area.x - 70, y + 5);
        }
        int slot = groups.isEmpty() ? area.width : area.width / groups.size();
        int bar = Math.min(60, slot / 3);
        for (int i = 0; i < groups.size(); i++) {
            Bars group = groups.get(i);
            int x = area.x + i * slot + slot / 2 - bar;
            verticalBar(g, area, x, bar, scale, group.runnel(), RUNNEL);
            verticalBar(g, area, x + bar, bar, scale, group.kafka(), KAFKA);
            g.setColor(Color.BLACK);
            g.drawString(group.label(), x, area.y + area.height + 20);
        }
    }

    private static void verticalBar(Graphics2D g, Rectangle area, int x, int width, double scale, Optional<Spread> value,
                                    Color color) {
        int base = area.y + area.height;
        if (value.isEmpty()) {
            g.setColor(Color.GRAY);
            g.drawString("failed", x + 4, base - 6);
            return;
        }
        Spread s = value.get();
        int top = base - (int) (area.height * s.median() / scale);
        g.setColor(color);
        g.fillRect(x + 2, top, width - 4, base - top);
        int whiskerTop = base - (int) (area.height * s.max() / scale);
        whisker(g, x + width / 2, base - (int) (area.height * s.min() / scale), whiskerTop, true);
        g.setColor(Color.BLACK);
        g.drawString(Spread.number(s.median()), x + 2, Math.min(top, whiskerTop) - 4);
    }

    private static void horizontal(Graphics2D g, Rectangle area, String title, List<Bars> groups) {
        double scale = niceTop(groups.stream().mapToDouble(Bars::top).max().orElse(1));
        g.setFont(TITLE);
        g.setColor(Color.BLACK);
        g.drawString(title, area.x - 330, area.y - 36);
        g.setFont(TEXT);
        for (int i = 0; i <= 5; i++) {
            int x = area.x + (int) (area.width * i / 5.0);
            g.setColor(GRID);
            g.drawLine(x, area.y, x, area.y + area.height);
            g.setColor(Color.DARK_GRAY);
            g.drawString(Spread.number(scale * i / 5), x - 10, area.y + area.height + 18);
        }
        int slot = groups.isEmpty() ? area.height : area.height / groups.size();
        int bar = Math.min(24, slot / 2 - 2);
        for (int i = 0; i < groups.size(); i++) {
            Bars group = groups.get(i);
            int y = area.y + i * slot + slot / 2 - bar;
            g.setColor(Color.BLACK);
            g.drawString(group.label(), area.x - 330, y + bar + 4);
            horizontalBar(g, area, y, bar, scale, group.runnel(), RUNNEL);
            horizontalBar(g, area, y + bar, bar, scale, group.kafka(), KAFKA);
        }
    }

    private static void horizontalBar(Graphics2D g, Rectangle area, int y, int height, double scale, Optional<Spread> value,
                                      Color color) {
        if (value.isEmpty()) {
            g.setColor(Color.GRAY);
            g.drawString("failed", area.x + 4, y + height - 4);
            return;
        }
        Spread s = value.get();
        int length = (int) (area.width * s.median() / scale);
        g.setColor(color);
        g.fillRect(area.x, y + 1, length, height - 2);
        int whiskerEnd = area.x + (int) (area.width * s.max() / scale);
        whisker(g, y + height / 2, area.x + (int) (area.width * s.min() / scale), whiskerEnd, false);
        g.setColor(Color.BLACK);
        g.drawString(Spread.number(s.median()), Math.max(area.x + length, whiskerEnd) + 8, y + height - 5);
    }

    /** A range line with end caps, vertical (at x = {@code at}) or horizontal (at y = {@code at}). */
    private static void whisker(Graphics2D g, int at, int from, int to, boolean vertical) {
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.5f));
        if (vertical) {
            g.drawLine(at, from, at, to);
            g.drawLine(at - 5, from, at + 5, from);
            g.drawLine(at - 5, to, at + 5, to);
        } else {
            g.drawLine(from, at, to, at);
            g.drawLine(from, at - 5, from, at + 5);
            g.drawLine(to, at - 5, to, at + 5);
        }
        g.setStroke(new BasicStroke(1f));
    }

    /** A round axis maximum a little above {@code max}: 1, 2 or 5 times a power of ten. */
    static double niceTop(double max) {
        if (max <= 0 || Double.isNaN(max)) {
            return 1;
        }
        double target = max * 1.1;
        double power = Math.pow(10, Math.floor(Math.log10(target)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= target) {
                return step * power;
            }
        }
        return 10 * power;
    }
}
