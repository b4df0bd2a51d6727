package io.tally.analytics.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class CidrBlockProperties {
  @Property
  void aBlockContainsItsOwnBaseAddress(@ForAll @Size(4) byte[] address, @ForAll @IntRange(max = 32) int prefix)
      throws Exception {
    String literal = InetAddress.getByAddress(address).getHostAddress();
    assertThat(CidrBlock.parse(literal + "/" + prefix).contains(InetAddress.getByAddress(address))).isTrue();
  }

  @Property
  void flippingABitInsideThePrefixLeavesTheBlockAndOutsideStaysIn(@ForAll @Size(16) byte[] address,
      @ForAll @IntRange(min = 1, max = 128) int prefix, @ForAll @IntRange(max = 127) int bit) throws Exception {
    InetAddress base = InetAddress.getByAddress(address);
    if (base.getAddress().length != 16) {
      return; // an IPv4-mapped address is reported as IPv4; covered by the unit tests
    }
    CidrBlock block = CidrBlock.parse(base.getHostAddress() + "/" + prefix);
    byte[] flipped = address.clone();
    flipped[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
    InetAddress other = InetAddress.getByAddress(flipped);
    if (other.getAddress().length != 16) {
      return; // an IPv4-mapped result is a different family; covered by the unit tests
    }
    assertThat(block.contains(other)).isEqualTo(bit >= prefix);
  }
}
