package org.coea.spark.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.Configuration;
import org.coea.spark.CommonOptions;
import org.coea.spark.ingest.IngestOptions;
import org.junit.jupiter.api.Test;

/** When {@code compare.reuse} keeps a piece: the recorded options against the options now. */
class CompareReuseTest {
    private static Configuration conf(Map<String, String> args) {
        // as the command line resolves it: the common options, then compare's
        List<ConfigOption<?>> known = new ArrayList<>(CommonOptions.ALL);
        known.addAll(CompareCommand.options());
        return Configuration.resolve(known, args, Optional.empty());
    }

    @Test
    void aPieceFitsTheSameOptionsAndNotOthers() {
        Configuration a = conf(Map.of("seed", "7"));
        String recorded = CompareCommand.fingerprint(a, "none-s7");
        assertThat(CompareCommand.matches(recorded, a, "none-s7", false)).isTrue();
        assertThat(CompareCommand.matches(recorded, a, "none-s8", false)).isFalse();
        assertThat(CompareCommand.matches(recorded, conf(Map.of("seed", "8")), "none-s7", false))
                .isFalse();
        assertThat(CompareCommand.matches(null, a, "none-s7", false)).isFalse();
        // compare's own options and, for a PCO run, the baseline options do not matter
        Configuration b = conf(Map.of("seed", "7", "compare.seeds", "5", "baseline.epochs", "2"));
        assertThat(CompareCommand.matches(recorded, b, "none-s7", false)).isTrue();
        String trained = CompareCommand.fingerprint(a, "gru4rec-s7", true);
        assertThat(CompareCommand.matches(trained, b, "gru4rec-s7", true)).isFalse();
    }

    @Test
    void anOptionAddedSinceFitsOnlyAtItsDefault() throws Exception {
        Configuration now = conf(Map.of("seed", "7"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode doc = (ObjectNode) json.readTree(CompareCommand.fingerprint(now, "none-s7"));
        ((ObjectNode) doc.get("options")).remove(IngestOptions.MODE.key());
        String older = json.writeValueAsString(doc);
        assertThat(CompareCommand.matches(older, now, "none-s7", false)).isTrue();
        Configuration changed = conf(Map.of("seed", "7", "ingest.mode", "append"));
        assertThat(CompareCommand.matches(older, changed, "none-s7", false)).isFalse();
        // an option recorded that the code no longer has
        ((ObjectNode) doc.get("options")).put("gone.option", "1");
        assertThat(CompareCommand.matches(json.writeValueAsString(doc), now, "none-s7", false))
                .isFalse();
    }

    @Test
    void optionsListsEveryBaselineOption() {
        List<String> keys = new ArrayList<>();
        for (ConfigOption<?> o : CompareCommand.addedOptions()) {
            keys.add(o.key());
        }
        assertThat(keys).contains("compare.reuse", "baseline.epochs", "baseline.temperature");
    }
}
