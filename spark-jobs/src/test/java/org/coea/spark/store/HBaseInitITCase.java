package org.coea.spark.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.hbase.HConstants;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptor;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.RegionInfo;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.client.TableDescriptor;
import org.apache.hadoop.hbase.util.Bytes;
import org.coea.spark.CoeaSpark;
import org.coea.spark.testutils.HBaseProcess;
import org.coea.stores.OpenedStores;
import org.coea.stores.StoreSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coea hbase-init} against a real HBase (a mini cluster in a child JVM), run twice: the
 * first run creates the namespace and both tables with their families, versions, TTL and split
 * points; the second run changes nothing (descriptors, regions and data stay) and succeeds.
 */
class HBaseInitITCase {
    static final TableName NOVELTY = TableName.valueOf("coea_it:novelty");
    static final TableName USERS = TableName.valueOf("coea_it:users");

    @TempDir Path tmp;

    @Test
    void hbaseInitCreatesTheLayoutOnceAndASecondRunChangesNothing() throws Exception {
        try (HBaseProcess hbase =
                HBaseProcess.start(Path.of("..", "stores"), tmp.resolve("hbase.log"))) {
            StoreSettings s = hbase.settings(NOVELTY.getNameAsString(), USERS.getNameAsString());
            String[] args = {
                "hbase-init",
                "--store.hbase.quorum",
                s.hbaseQuorum(),
                "--store.hbase.client-port",
                Integer.toString(s.hbaseClientPort()),
                "--store.hbase.znode-parent",
                s.hbaseZnodeParent(),
                "--store.hbase.properties",
                "hbase.client.retries.number=5,hbase.client.pause=200",
                "--store.novelty-table",
                NOVELTY.getNameAsString(),
                "--store.user-table",
                USERS.getNameAsString(),
                "--hbase-init.novelty-regions",
                "4",
                "--hbase-init.user-splits",
                "3,6",
                "--hbase-init.novelty-ttl-days",
                "10"
            };

            String first = run(args);
            assertThat(first)
                    .as("first run's report")
                    .contains(
                            "hbase-init: created namespace coea_it",
                            "hbase-init: created table coea_it:novelty (family n, versions 1, TTL 864000 s, 4 regions)",
                            "hbase-init: created table coea_it:users (family u, versions 1, TTL forever, 3 regions)");

            try (Connection c =
                            ConnectionFactory.createConnection(OpenedStores.hbaseConfiguration(s));
                    Admin admin = c.getAdmin()) {
                assertThat(Arrays.asList(admin.listNamespaces())).contains("coea_it");
                TableDescriptor novelty = admin.getDescriptor(NOVELTY);
                TableDescriptor users = admin.getDescriptor(USERS);
                checkFamily(novelty, "n", 864_000);
                checkFamily(users, "u", HConstants.FOREVER);
                assertThat(startKeys(admin, NOVELTY))
                        .as("novelty regions start at the first-level CSID codes")
                        .containsExactly("", "001", "002", "003");
                assertThat(startKeys(admin, USERS))
                        .as("user regions start at the split prefixes")
                        .containsExactly("", "3", "6");
                List<RegionInfo> noveltyRegions = admin.getRegions(NOVELTY);
                List<RegionInfo> userRegions = admin.getRegions(USERS);
                try (Table t = c.getTable(USERS)) {
                    t.put(
                            new Put(Bytes.toBytes("42"))
                                    .addColumn(
                                            Bytes.toBytes("u"),
                                            Bytes.toBytes("s"),
                                            Bytes.toBytes("kept")));
                }

                String second = run(args);
                assertThat(second)
                        .as("second run's report")
                        .contains(
                                "hbase-init: namespace coea_it exists, left as it is",
                                "hbase-init: table coea_it:novelty exists, left as it is",
                                "hbase-init: table coea_it:users exists, left as it is")
                        .doesNotContain("created");
                assertThat(admin.getDescriptor(NOVELTY))
                        .as("novelty descriptor")
                        .isEqualTo(novelty);
                assertThat(admin.getDescriptor(USERS)).as("user descriptor").isEqualTo(users);
                assertThat(admin.getRegions(NOVELTY))
                        .as("novelty regions")
                        .isEqualTo(noveltyRegions);
                assertThat(admin.getRegions(USERS)).as("user regions").isEqualTo(userRegions);
                try (Table t = c.getTable(USERS)) {
                    assertThat(
                                    Bytes.toString(
                                            t.get(new Get(Bytes.toBytes("42")))
                                                    .getValue(
                                                            Bytes.toBytes("u"),
                                                            Bytes.toBytes("s"))))
                            .as("a row written between the runs survives the second run")
                            .isEqualTo("kept");
                }
            }
        }
    }

    private static void checkFamily(TableDescriptor table, String family, int ttl) {
        assertThat(table.getColumnFamilyNames())
                .as("families of %s", table.getTableName())
                .containsExactly(Bytes.toBytes(family));
        ColumnFamilyDescriptor f = table.getColumnFamily(Bytes.toBytes(family));
        assertThat(f.getMaxVersions()).as("versions of %s", table.getTableName()).isEqualTo(1);
        assertThat(f.getTimeToLive()).as("TTL of %s", table.getTableName()).isEqualTo(ttl);
    }

    private static List<String> startKeys(Admin admin, TableName table) throws Exception {
        return admin.getRegions(table).stream()
                .map(r -> Bytes.toString(r.getStartKey()))
                .sorted()
                .toList();
    }

    private static String run(String[] args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                CoeaSpark.execute(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as("exit status; stdout %s stderr %s", text, err).isZero();
        return text;
    }
}
