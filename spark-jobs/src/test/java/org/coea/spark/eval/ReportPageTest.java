package org.coea.spark.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The report page: self-contained (no script, no remote URL), every chart a decodable PNG. */
class ReportPageTest {
    @Test
    void pageEmbedsEveryChartAsAPngAndEscapesNames() throws Exception {
        Map<String, Map<String, Double>> means = new LinkedHashMap<>();
        Map<String, Map<String, Double>> spread = new LinkedHashMap<>();
        Map<String, List<Long>> seeds = new LinkedHashMap<>();
        for (String system : List.of("CoEA", "Random <3 seeds>")) {
            Map<String, Double> m = new LinkedHashMap<>();
            Map<String, Double> s = new LinkedHashMap<>();
            for (String metric : ReportPage.MAIN) {
                m.put(metric, system.equals("CoEA") ? 0.5 : 0.25);
                s.put(metric, system.equals("CoEA") ? 0.0 : 0.01);
            }
            means.put(system, m);
            spread.put(system, s);
            seeds.put(system, system.equals("CoEA") ? List.of(42L) : List.of(42L, 43L, 44L));
        }
        ReportPage.CycleSeries run =
                new ReportPage.CycleSeries(
                        "CoEA (lambda 0.1)",
                        new int[] {0, 1, 2},
                        new double[] {0.3, 0.28, Double.NaN},
                        new double[] {0.1, 0.12, 0.13});
        ReportPage.GroupSimilarity groups =
                new ReportPage.GroupSimilarity(
                        List.of("000-001", "000-002"), new double[][] {{0.9, 0.2}, {0.2, 0.8}});
        String html = ReportPage.html(means, spread, seeds, 123, "| md |", List.of(run), groups);
        assertThat(html)
                .startsWith("<!DOCTYPE html>")
                .contains("123 test users")
                .contains("Random &lt;3 seeds&gt;")
                .contains("0.2500 ± 0.0100")
                .doesNotContain("<script")
                .doesNotContain("http://")
                .doesNotContain("https://");
        Matcher m = Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        List<BufferedImage> images = new ArrayList<>();
        while (m.find()) {
            images.add(
                    ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1)))));
        }
        // a bar chart per main metric, the cycle chart and the heatmap
        assertThat(images).hasSize(ReportPage.MAIN.size() + 2).doesNotContainNull();
        assertThat(images.get(images.size() - 1).getWidth()).isEqualTo(820);

        String empty = ReportPage.html(means, spread, seeds, 1, "", List.of(), null);
        assertThat(empty).contains("No PCO cycle ran").contains("No groups");
    }
}
