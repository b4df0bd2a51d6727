package io.tally.analytics.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrBlockTest {
  static InetAddress ip(String literal) {
    return CidrBlock.parseAddress(literal).orElseThrow();
  }

  @Test
  void ipv4PrefixMatchesInsideAndNotOutside() {
    CidrBlock block = CidrBlock.parse("10.1.0.0/16");
    assertThat(block.contains(ip("10.1.255.3"))).isTrue();
    assertThat(block.contains(ip("10.2.0.1"))).isFalse();
  }

  @Test
  void nonByteAlignedPrefix() {
    CidrBlock block = CidrBlock.parse("192.168.1.64/26");
    assertThat(block.contains(ip("192.168.1.127"))).isTrue();
    assertThat(block.contains(ip("192.168.1.128"))).isFalse();
    assertThat(block.contains(ip("192.168.1.63"))).isFalse();
  }

  @Test
  void bareAddressIsASingleHost() {
    CidrBlock block = CidrBlock.parse("172.16.0.5");
    assertThat(block.contains(ip("172.16.0.5"))).isTrue();
    assertThat(block.contains(ip("172.16.0.6"))).isFalse();
  }

  @Test
  void ipv6PrefixMatches() {
    CidrBlock block = CidrBlock.parse("2001:db8::/32");
    assertThat(block.contains(ip("2001:db8:1::7"))).isTrue();
    assertThat(block.contains(ip("2001:db9::1"))).isFalse();
  }

  @Test
  void familiesNeverMatchEachOther() {
    assertThat(CidrBlock.parse("::/0").contains(ip("10.0.0.1"))).isFalse();
    assertThat(CidrBlock.parse("0.0.0.0/0").contains(ip("::2"))).isFalse();
  }

  @Test
  void ipv4MappedIpv6PeerMatchesIpv4Block() {
    assertThat(CidrBlock.parse("10.0.0.0/8").contains(ip("::ffff:10.9.8.7"))).isTrue();
  }

  @Test
  void zeroPrefixMatchesEverythingOfTheFamily() {
    assertThat(CidrBlock.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> CidrBlock.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CidrBlock.parse("10.0.0.0/x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CidrBlock.parse("::/129")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CidrBlock.parse("example.com/8")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hostNamesAreNeverResolved() {
    assertThat(CidrBlock.parseAddress("localhost")).isEmpty();
  }
}
