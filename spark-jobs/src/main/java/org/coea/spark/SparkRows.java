package org.coea.spark;

import java.util.List;
import java.util.Map;
import scala.jdk.javaapi.CollectionConverters;

/** Converts Java collections to the Scala ones that Spark's row encoders require in a Row. */
public final class SparkRows {
    private SparkRows() {}

    /** An ARRAY column value. */
    public static scala.collection.immutable.Seq<Object> array(List<?> values) {
        return CollectionConverters.asScala(List.<Object>copyOf(values)).toList();
    }

    /** A MAP column value. */
    public static scala.collection.Map<String, String> map(Map<String, String> values) {
        return CollectionConverters.asScala(values);
    }
}
