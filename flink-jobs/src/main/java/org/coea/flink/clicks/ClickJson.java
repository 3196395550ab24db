package org.coea.flink.clicks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.coea.common.model.ClickRecord;

/** Renders a click as a {@code clicks} topic record (the schema {@code ClickJsonParser} reads). */
public final class ClickJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClickJson() {}

    /** {@code {"user":1,"item":2,"ts":3,"category":"x"}}; no category field when it has none. */
    public static String render(ClickRecord click) {
        ObjectNode n = JSON.createObjectNode();
        n.put("user", click.userId());
        n.put("item", click.itemId());
        n.put("ts", click.epochSeconds());
        if (click.category() != null) {
            n.put("category", click.category());
        }
        return n.toString();
    }
}
