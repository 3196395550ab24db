package org.coea.spark.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The evaluation report page, {@code report/index.html}: the metrics table, a bar chart per main
 * metric (mean with the spread over seeds), the validation figures per PCO cycle (the paper's
 * Figure 4), and the group similarity heatmap (Figure 3). Charts are drawn with JFreeChart into PNG
 * images embedded as data URIs: one self-contained file that works offline, without scripts.
 *
 * <p>Engine-free: it takes plain maps and arrays.
 */
final class ReportPage {
    /** The metrics of the bar charts (the paper's Table 2 columns, plus S-H@5 and coverage). */
    static final List<String> MAIN =
            List.of("C-H@1", "C-N@5", "NCP@5", "CLTP@5", "S-H@5", "Coverage@5");

    private ReportPage() {}

    /**
     * One run's figures per PCO cycle, for the cycle chart.
     *
     * @param label the series name, e.g. {@code CoEA (lambda 0.1)}
     * @param cycles cycle numbers, 0 for the models before any cycle
     * @param novelty validation NCP@5 per cycle
     * @param hits validation C-H@5 per cycle
     */
    record CycleSeries(String label, int[] cycles, double[] novelty, double[] hits) {}

    /**
     * Group-to-group similarity.
     *
     * @param labels group names (CSIDs)
     * @param similarity mean cosine similarity of h_u between the users of two groups (within a
     *     group on the diagonal)
     */
    record GroupSimilarity(List<String> labels, double[][] similarity) {}

    /** The whole page. */
    static String html(
            Map<String, Map<String, Double>> means,
            Map<String, Map<String, Double>> spread,
            Map<String, List<Long>> seeds,
            long users,
            String markdownTable,
            List<CycleSeries> cycles,
            GroupSimilarity groups) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>CoEA offline evaluation</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:2em;max-width:1200px}")
                .append("table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #bbb;padding:4px 8px;text-align:right}")
                .append("td:first-child,th:first-child{text-align:left}")
                .append(".charts{display:flex;flex-wrap:wrap;gap:12px}")
                .append("img{border:1px solid #ddd}\n</style>\n</head>\n<body>\n");
        sb.append("<h1>CoEA offline evaluation</h1>\n<p>")
                .append(users)
                .append(" test users; protocol: docs/evaluation.md. Means over seeds; the")
                .append(" whiskers and the ± figures are the spread (population standard")
                .append(" deviation) where a system ran with several seeds.</p>\n");
        sb.append("<h2>Metrics</h2>\n").append(table(means, spread, seeds));
        sb.append("<h2>Per metric</h2>\n<div class=\"charts\">\n");
        for (String metric : MAIN) {
            sb.append(img(bars(metric, means, spread), metric));
        }
        sb.append("</div>\n");
        sb.append("<h2>Validation figures per PCO cycle</h2>\n");
        if (cycles.isEmpty()) {
            sb.append("<p>No PCO cycle ran in this warehouse.</p>\n");
        } else {
            sb.append("<p>NCP@5 (novelty) and C-H@5 (hits) of the next time slice after each")
                    .append(" cycle; cycle 0 is the models before any cycle.</p>\n")
                    .append(img(cycleChart(cycles), "validation figures per cycle"));
        }
        sb.append("<h2>Group similarity</h2>\n");
        if (groups == null || groups.labels().isEmpty()) {
            sb.append("<p>No groups in this warehouse.</p>\n");
        } else {
            sb.append("<p>Mean cosine similarity of the user vectors h_u between the users of")
                    .append(" two groups (within a group on the diagonal, self-pairs left out),")
                    .append(" for the ")
                    .append(groups.labels().size())
                    .append(" largest groups.</p>\n")
                    .append(img(heatmap(groups), "group similarity heatmap", 820, 760));
        }
        sb.append("<h2>Table (markdown)</h2>\n<pre>")
                .append(escape(markdownTable))
                .append("</pre>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static String table(
            Map<String, Map<String, Double>> means,
            Map<String, Map<String, Double>> spread,
            Map<String, List<Long>> seeds) {
        StringBuilder sb = new StringBuilder("<table>\n<tr><th>system</th>");
        for (String m : MAIN) {
            sb.append("<th>").append(escape(m)).append("</th>");
        }
        sb.append("<th>seeds</th></tr>\n");
        for (String s : means.keySet()) {
            sb.append("<tr><td>").append(escape(s)).append("</td>");
            for (String m : MAIN) {
                double v = means.get(s).get(m);
                sb.append("<td>").append(String.format(Locale.ROOT, "%.4f", v));
                if (seeds.get(s).size() > 1) {
                    sb.append(String.format(Locale.ROOT, " ± %.4f", spread.get(s).get(m)));
                }
                sb.append("</td>");
            }
            sb.append("<td>").append(seeds.get(s).size()).append("</td></tr>\n");
        }
        return sb.append("</table>\n").toString();
    }

    static JFreeChart bars(
            String metric,
            Map<String, Map<String, Double>> means,
            Map<String, Map<String, Double>> spread) {
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        for (String s : means.keySet()) {
            data.add(means.get(s).get(metric), spread.get(s).get(metric), metric, s);
        }
        CategoryPlot plot =
                new CategoryPlot(
                        data, new CategoryAxis(null), new NumberAxis(metric), barRenderer());
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(metric, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static StatisticalBarRenderer barRenderer() {
        StatisticalBarRenderer r = new StatisticalBarRenderer();
        r.setSeriesPaint(0, new Color(0x4C72B0));
        r.setErrorIndicatorPaint(Color.BLACK);
        r.setDrawBarOutline(false);
        r.setShadowVisible(false);
        r.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        return r;
    }

    static JFreeChart cycleChart(List<CycleSeries> runs) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (CycleSeries run : runs) {
            XYSeries novelty = new XYSeries(run.label() + ": NCP@5");
            XYSeries hits = new XYSeries(run.label() + ": C-H@5");
            for (int i = 0; i < run.cycles().length; i++) {
                if (!Double.isNaN(run.novelty()[i])) {
                    novelty.add(run.cycles()[i], run.novelty()[i]);
                }
                if (!Double.isNaN(run.hits()[i])) {
                    hits.add(run.cycles()[i], run.hits()[i]);
                }
            }
            data.addSeries(novelty);
            data.addSeries(hits);
        }
        NumberAxis x = new NumberAxis("cycle");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(data, x, new NumberAxis("validation figure"), r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart =
                new JFreeChart(
                        "Validation novelty and hits per cycle",
                        JFreeChart.DEFAULT_TITLE_FONT,
                        plot,
                        true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    static JFreeChart heatmap(GroupSimilarity g) {
        int n = g.labels().size();
        double[] xs = new double[n * n];
        double[] ys = new double[n * n];
        double[] zs = new double[n * n];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                xs[i * n + j] = i;
                ys[i * n + j] = j;
                zs[i * n + j] = g.similarity()[i][j];
                lo = Math.min(lo, g.similarity()[i][j]);
                hi = Math.max(hi, g.similarity()[i][j]);
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("similarity", new double[][] {xs, ys, zs});
        double low = lo;
        double high = hi > lo ? hi : lo + 1e-9;
        PaintScale scale = new BlueScale(low, high);
        XYBlockRenderer r = new XYBlockRenderer();
        r.setPaintScale(scale);
        String[] names = g.labels().toArray(String[]::new);
        SymbolAxis x = new SymbolAxis("group", names);
        x.setVerticalTickLabels(true);
        x.setTickLabelFont(x.getTickLabelFont().deriveFont(9f));
        SymbolAxis y = new SymbolAxis("group", names);
        y.setTickLabelFont(y.getTickLabelFont().deriveFont(9f));
        y.setInverted(true);
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        JFreeChart chart =
                new JFreeChart(
                        "Group similarity (mean cosine of h_u)",
                        JFreeChart.DEFAULT_TITLE_FONT,
                        plot,
                        false);
        NumberAxis legendAxis = new NumberAxis("cosine");
        legendAxis.setRange(low, high);
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 40, 4);
        chart.addSubtitle(legend);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** White to dark blue. */
    private record BlueScale(double low, double high) implements PaintScale {
        @Override
        public double getLowerBound() {
            return low;
        }

        @Override
        public double getUpperBound() {
            return high;
        }

        @Override
        public java.awt.Paint getPaint(double value) {
            double t = Math.max(0, Math.min(1, (value - low) / (high - low)));
            return new Color(
                    (int) Math.round(255 - t * (255 - 8)),
                    (int) Math.round(255 - t * (255 - 48)),
                    (int) Math.round(255 - t * (255 - 107)));
        }
    }

    /** A chart as a PNG {@code <img>} with a data URI. */
    static String img(JFreeChart chart, String alt) {
        return img(chart, alt, 560, 380);
    }

    static String img(JFreeChart chart, String alt, int width, int height) {
        return "<img alt=\""
                + escape(alt)
                + "\" width=\""
                + width
                + "\" height=\""
                + height
                + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png(chart, width, height))
                + "\">\n";
    }

    static byte[] png(JFreeChart chart, int width, int height) {
        BufferedImage image = chart.createBufferedImage(width, height);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a chart as PNG", e);
        }
        return out.toByteArray();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
