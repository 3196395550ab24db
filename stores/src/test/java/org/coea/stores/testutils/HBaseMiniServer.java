package org.coea.stores.testutils;

import java.io.IOException;

/**
 * Runs {@link HBaseMini} as its own process, for tests whose classpath cannot hold the HBase server
 * (the Spark jobs: Hadoop 3 client jars next to the mini cluster's Hadoop 2). Prints {@value
 * #READY} followed by the ZooKeeper client port and the znode parent, then serves until its
 * standard input closes (the parent ended or closed it).
 */
public final class HBaseMiniServer {
    /** The line prefix that says the cluster is up: {@code HBASE_MINI_READY <port> <znode>}. */
    public static final String READY = "HBASE_MINI_READY";

    private HBaseMiniServer() {}

    /** Starts the cluster and blocks until standard input closes. */
    public static void main(String[] args) throws Exception {
        try (HBaseMini hbase = HBaseMini.start()) {
            System.out.println(READY + " " + hbase.clientPort() + " " + hbase.znodeParent());
            System.out.flush();
            try {
                while (System.in.read() >= 0) {
                    // wait for end of input
                }
            } catch (IOException e) {
                // the parent is gone: stop
            }
        }
        System.exit(0);
    }
}
