package dev.sluice.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stripe.internal.ListCursor;
import dev.sluice.xdm.DataRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checkpoint of a list read: same-second objects across pages and runs. */
class ListCursorTest {
  static DataRecord obj(String id, long created) {
    return DataRecord.builder().put("id", id).put("created", created).build();
  }

  @Test
  void aFinishedPassStartsTheNextAtItsNewestSecondRememberingWhoWasThere() {
    ListCursor cursor = ListCursor.START
        .advance(List.of(obj("c3", 30), obj("c2", 30)), true);
    assertThat(cursor.startingAfter()).isEqualTo("c2");
    cursor = cursor.advance(List.of(obj("c1", 10)), false);
    assertThat(cursor.since()).isEqualTo(30);
    assertThat(cursor.seenAtSince()).containsExactlyInAnyOrder("c3", "c2");
    assertThat(cursor.startingAfter()).isNull();

    // The next pass lists created >= 30: c4 arrived in the same second later and must be read.
    ListCursor reread = ListCursor.parse(cursor.toJson());
    assertThat(reread).isEqualTo(cursor);
    assertThat(reread.alreadyRead(obj("c3", 30))).isTrue();
    assertThat(reread.alreadyRead(obj("c4", 30))).isFalse();
    ListCursor after = reread.advance(List.of(obj("c4", 30), obj("c3", 30), obj("c2", 30)), false);
    assertThat(after.since()).isEqualTo(30);
    assertThat(after.seenAtSince()).containsExactlyInAnyOrder("c2", "c3", "c4");
  }

  @Test
  void anEmptyPassKeepsTheCursor() {
    ListCursor cursor = new ListCursor(30L, java.util.Set.of("c3"), null, null, java.util.Set.of());
    assertThat(cursor.advance(List.of(), false)).isEqualTo(cursor);
  }

  @Test
  void newerObjectsReplaceTheRememberedSecond() {
    ListCursor cursor = new ListCursor(30L, java.util.Set.of("c3"), null, null, java.util.Set.of());
    ListCursor next = cursor.advance(List.of(obj("c9", 50), obj("c8", 50), obj("c3b", 31)), false);
    assertThat(next.since()).isEqualTo(50);
    assertThat(next.seenAtSince()).containsExactlyInAnyOrder("c9", "c8");
  }
}
