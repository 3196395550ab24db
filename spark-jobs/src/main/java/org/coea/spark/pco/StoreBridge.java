package org.coea.spark.pco;

import java.util.List;
import java.util.OptionalLong;
import org.apache.spark.sql.SparkSession;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.Configuration;
import org.coea.spark.store.StoreJob;
import org.coea.spark.store.StoreOptions;
import org.coea.spark.warehouse.Warehouse;
import org.coea.stores.OpenedStores;

/** The {@link CycleStore} of the {@code store} stage: the configured RocksDB or HBase stores. */
final class StoreBridge implements CycleStore {
    private final SparkSession spark;
    private final Warehouse warehouse;
    private final StoreOptions options;

    StoreBridge(SparkSession spark, Warehouse warehouse, StoreOptions options) {
        this.spark = spark;
        this.warehouse = warehouse;
        this.options = options;
    }

    static List<ConfigOption<?>> options() {
        return StoreOptions.OPTIONS;
    }

    static StoreBridge of(SparkSession spark, Warehouse w, Configuration conf) {
        return new StoreBridge(spark, w, StoreOptions.from(conf));
    }

    @Override
    public OptionalLong currentVersion() {
        try (OpenedStores s = OpenedStores.open(options.settings())) {
            return s.noveltyStore().currentVersion();
        }
    }

    @Override
    public void write() {
        new StoreJob().run(spark, warehouse, options);
    }
}
