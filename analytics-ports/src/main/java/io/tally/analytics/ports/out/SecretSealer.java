package io.tally.analytics.ports.out;

/**
 * Encrypts secret values before they are stored (route secrets: the Cosmos key, AWS secret keys, a Firestore
 * service-account key) and decrypts them when read, so no secret sits in clear in a database column.
 *
 * <p>{@code context} binds a sealed value to where it belongs (for example tenant, env and config key): a value
 * copied to another row or key does not open. A stored value that was never sealed (written before sealing was
 * introduced) opens as itself and {@link #needsResealing} says so, which is how a store upgrades old rows.
 */
public interface SecretSealer {
  /**
   * @param plaintext the secret
   * @param context where it is stored
   * @return the sealed text, safe to store
   */
  String seal(String plaintext, String context);

  /**
   * @param stored a value from {@link #seal} (or a legacy clear value)
   * @param context the same context as when sealed
   * @return the secret
   * @throws io.tally.analytics.core.TallyException {@code route_secrets.cannot_open} when no configured key opens it
   */
  String open(String stored, String context);

  /** @return true when {@code stored} is clear text or sealed with a key other than the current one */
  boolean needsResealing(String stored);
}
