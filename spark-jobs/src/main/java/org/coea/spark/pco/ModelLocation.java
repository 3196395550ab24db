package org.coea.spark.pco;

import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.util.SerializableConfiguration;
import org.coea.spark.warehouse.ModelFiles;

/**
 * A model directory in the warehouse that executors open: used in place when it is on the local
 * file system, else fetched once per executor JVM ({@link ModelFiles#fetch}).
 */
record ModelLocation(String path, SerializableConfiguration hadoop) implements Serializable {
    static ModelLocation of(String path, Configuration hadoop) {
        return new ModelLocation(path, new SerializableConfiguration(hadoop));
    }

    /** A local directory holding the model. */
    Path local() {
        Path p = localPath(path);
        return p != null ? p : ModelFiles.fetch(path, hadoop.value());
    }

    /** The local path of a {@code file:} or scheme-less location, else null. */
    static Path localPath(String path) {
        URI uri = URI.create(path.replace(" ", "%20"));
        if (uri.getScheme() == null) {
            return Path.of(path);
        }
        if (uri.getScheme().equals("file")) {
            return Path.of(uri);
        }
        return null;
    }
}
