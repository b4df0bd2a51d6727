package io.tally.analytics.core.export;

/**
 * The few JSON writing steps a manifest needs (RFC 8259 strings, integers, null, objects, arrays), so that
 * core, which may use no JSON library, can write the manifest file itself and every store gets the same bytes.
 */
final class JsonText {
  private final StringBuilder out = new StringBuilder(512);
  private boolean needComma;

  JsonText beginObject() {
    separate();
    out.append('{');
    needComma = false;
    return this;
  }

  JsonText endObject() {
    out.append('}');
    needComma = true;
    return this;
  }

  JsonText beginArray() {
    separate();
    out.append('[');
    needComma = false;
    return this;
  }

  JsonText endArray() {
    out.append(']');
    needComma = true;
    return this;
  }

  JsonText field(String name) {
    separate();
    quote(name);
    out.append(':');
    needComma = false;
    return this;
  }

  JsonText string(String value) {
    separate();
    quote(value);
    needComma = true;
    return this;
  }

  JsonText number(long value) {
    separate();
    out.append(value);
    needComma = true;
    return this;
  }

  JsonText nullValue() {
    separate();
    out.append("null");
    needComma = true;
    return this;
  }

  private void separate() {
    if (needComma) {
      out.append(',');
    }
  }

  private void quote(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
