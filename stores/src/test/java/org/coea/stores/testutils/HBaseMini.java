package org.coea.stores.testutils;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseTestingUtility;
import org.apache.hadoop.hbase.client.Connection;

/**
 * An in-process HBase (mini ZooKeeper + one master and one region server on the local file system)
 * with the settings of PLATFORM.md; for the integration tests and the benchmark.
 */
public final class HBaseMini implements AutoCloseable {
    private final HBaseTestingUtility util;

    private HBaseMini(HBaseTestingUtility util) {
        this.util = util;
    }

    /** Starts the mini cluster (about 10 s). */
    public static HBaseMini start() throws Exception {
        HBaseTestingUtility util = new HBaseTestingUtility();
        Configuration conf = util.getConfiguration();
        conf.setBoolean("hbase.unsafe.stream.capability.enforce", false);
        conf.setInt("hbase.master.info.port", -1);
        conf.setInt("hbase.regionserver.info.port", -1);
        conf.setInt("hbase.regionserver.msginterval", 1000);
        util.startMiniZKCluster();
        util.startMiniHBaseCluster();
        return new HBaseMini(util);
    }

    /** The shared connection of the cluster (closed with it). */
    public Connection connection() {
        try {
            return util.getConnection();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The ZooKeeper client port of the mini cluster (its quorum is {@code localhost}). */
    public int clientPort() {
        return util.getZkCluster().getClientPort();
    }

    /** The HBase root znode of the mini cluster. */
    public String znodeParent() {
        return util.getConfiguration()
                .get(
                        org.apache.hadoop.hbase.HConstants.ZOOKEEPER_ZNODE_PARENT,
                        org.apache.hadoop.hbase.HConstants.DEFAULT_ZOOKEEPER_ZNODE_PARENT);
    }

    @Override
    public void close() throws Exception {
        util.shutdownMiniHBaseCluster();
        util.shutdownMiniZKCluster();
    }
}
