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

    /** An ARRAY&lt;BIGINT&gt; column value. */
    public static scala.collection.immutable.Seq<Object> array(long[] values) {
        return array(java.util.Arrays.stream(values).boxed().toList());
    }

    /** An ARRAY&lt;INT&gt; column value. */
    public static scala.collection.immutable.Seq<Object> array(int[] values) {
        return array(java.util.Arrays.stream(values).boxed().toList());
    }

    /** An ARRAY&lt;FLOAT&gt; column value. */
    public static scala.collection.immutable.Seq<Object> array(float[] values) {
        List<Float> boxed = new java.util.ArrayList<>(values.length);
        for (float v : values) {
            boxed.add(v);
        }
        return array(boxed);
    }

    /** A MAP column value. */
    public static scala.collection.Map<String, String> map(Map<String, String> values) {
        return CollectionConverters.asScala(values);
    }
}
