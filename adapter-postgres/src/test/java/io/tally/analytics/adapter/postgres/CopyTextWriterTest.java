package io.tally.analytics.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class CopyTextWriterTest {

  @Test
  void writesTabSeparatedRowsWithNullsAndEscapes() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CopyTextWriter w = new CopyTextWriter(out, 16); // tiny buffer: forces flushes mid-row
    w.number(7).bool(true).uuid(new UUID(0, 1)).text(null).text("a\tb\\c\nd\re").text("žluťoučký")
        .timestamp(Instant.parse("2026-10-01T10:15:30.123456Z"));
    w.endRow();
    w.flush();

    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "7\tt\t00000000-0000-0000-0000-000000000001\t\\N\ta\\tb\\\\c\\nd\\re\tžluťoučký\t"
                + "2026-10-01T10:15:30.123456Z\n");
  }

  @Property
  void escapedTextNeverContainsARawSeparator(@ForAll String s) {
    String escaped = CopyTextWriter.escape(s);
    assertThat(escaped).doesNotContain("\t", "\n", "\r");
    assertThat(unescape(escaped)).isEqualTo(s);
  }

  private static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char n = s.charAt(++i);
      b.append(n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n);
    }
    return b.toString();
  }
}
