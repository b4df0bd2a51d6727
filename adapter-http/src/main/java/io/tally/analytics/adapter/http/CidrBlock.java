package io.tally.analytics.adapter.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}); a bare address is a
 * single-host block. IPv4-mapped IPv6 peers ({@code ::ffff:10.1.2.3}) match IPv4 blocks, because the JDK
 * reports them as IPv4 addresses.
 */
public final class CidrBlock {
  // Only IP literals: InetAddress.getByName would otherwise resolve a host name through DNS.
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private final byte[] network;
  private final int prefixLength;
  private final String text;

  private CidrBlock(byte[] network, int prefixLength, String text) {
    this.network = network;
    this.prefixLength = prefixLength;
    this.text = text;
  }

  /**
   * @param cidr for example {@code 192.168.0.0/16} or {@code 2001:db8::/32}
   * @return the block
   * @throws IllegalArgumentException when the text is not an IP literal with a prefix in range
   */
  public static CidrBlock parse(String cidr) {
    String trimmed = cidr.trim();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] bytes = parseAddress(address)
        .orElseThrow(() -> new IllegalArgumentException("not an IP address: " + address)).getAddress();
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(trimmed.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad prefix length in " + trimmed);
      }
      if (prefix < 0 || prefix > max) {
        throw new IllegalArgumentException("prefix length must be 0.." + max + " in " + trimmed);
      }
    }
    return new CidrBlock(mask(bytes, prefix), prefix, trimmed);
  }

  /**
   * @param address an IP literal
   * @return the parsed address, empty for anything that is not an IP literal (host names are never resolved)
   */
  public static Optional<InetAddress> parseAddress(String address) {
    if (address == null || !IP_LITERAL.matcher(address).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(address));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** @return true when the address lies inside this block (an address of the other family never does) */
  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == network.length && Arrays.equals(mask(bytes, prefixLength), network);
  }

  private static byte[] mask(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] = (byte) (out[i] & (0xFF << (8 - bitsHere)));
    }
    return out;
  }

  @Override
  public String toString() {
    return text;
  }
}
