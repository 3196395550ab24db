package org.coea.flink.shortterm;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;

/** The Kafka key (user id) and value (JSON) of a {@code short-term-interests} record. */
public final class UpdateSchemas {
    private UpdateSchemas() {}

    /** The user id as decimal text: one user's updates stay in one partition, in order. */
    public static final class Key implements SerializationSchema<ShortTermUpdate> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(ShortTermUpdate u) {
            return Long.toString(u.userId()).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** {@link ShortTermUpdate#toJson()}. */
    public static final class Value implements SerializationSchema<ShortTermUpdate> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(ShortTermUpdate u) {
            return u.toJson().getBytes(StandardCharsets.UTF_8);
        }
    }
}
