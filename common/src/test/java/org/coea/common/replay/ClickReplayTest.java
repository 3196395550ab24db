package org.coea.common.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.coea.common.model.BehaviorEvent;
import org.coea.common.model.EventType;
import org.coea.common.split.PerUserSplit;
import org.junit.jupiter.api.Test;

class ClickReplayTest {
    private static BehaviorEvent click(long user, long item, long ts) {
        return new BehaviorEvent(user, item, ts, EventType.CLICK, 4.0);
    }

    @Test
    void testWindowIsEachUsersLastClicksInReplayOrder() {
        List<BehaviorEvent> clicks = new ArrayList<>();
        // user 1: 5 clicks -> floor(5 * 0.4) = 2 test clicks (ts 40 item 4, ts 50 item 5)
        for (int i = 1; i <= 5; i++) {
            clicks.add(click(1, i, i * 10L));
        }
        // user 2: 3 clicks with a timestamp tie broken by item id -> 1 test click (ts 45, item 9)
        clicks.add(click(2, 9, 45));
        clicks.add(click(2, 8, 45));
        clicks.add(click(2, 7, 5));
        // user 3: 2 clicks -> 0 test clicks
        clicks.add(click(3, 1, 60));
        clicks.add(click(3, 2, 70));
        List<BehaviorEvent> window = ClickReplay.testWindow(clicks, new PerUserSplit(0.4, 0.0));
        assertThat(window).containsExactly(click(1, 4, 40), click(2, 9, 45), click(1, 5, 50));
    }

    @Test
    void pacing() {
        assertThat(ClickReplay.dueNanos(10, 100.0)).isEqualTo(100_000_000L);
        assertThat(ClickReplay.dueNanos(10, 0)).isZero();
    }
}
