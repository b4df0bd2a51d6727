package io.tally.analytics.core.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolesTest {
  @Test
  void adminHasEveryPermission() {
    assertThat(Roles.permissionsOf("admin")).isEqualTo(EnumSet.allOf(Permission.class));
  }

  @Test
  void everyWireNameIsARoleGrantingItself() {
    for (Permission p : Permission.values()) {
      assertThat(Roles.permissionsOf(p.wireName())).containsExactly(p);
    }
  }

  @Test
  void viewerIsReadOnlyAndAnalystAddsExports() {
    assertThat(Roles.permissionsOf("viewer")).containsExactlyInAnyOrder(Permission.USAGE_READ,
        Permission.RELIABILITY_READ, Permission.EXPORTS_READ, Permission.STORE_READ);
    assertThat(Roles.permissionsOf("analyst")).contains(Permission.EXPORTS_CREATE, Permission.EXPORTS_DOWNLOAD)
        .doesNotContain(Permission.ROUTING_ADMIN, Permission.STORE_DELETE);
    assertThat(Roles.permissionsOf("ingestor")).containsExactlyInAnyOrder(Permission.EVENTS_WRITE,
        Permission.STORE_WRITE);
  }

  @Test
  void unknownRolesGrantNothing() {
    assertThat(Roles.permissionsOf("superuser")).isEmpty();
    assertThat(Roles.grantingRole(Set.of("superuser", "Admin"), Permission.USAGE_READ)).isEmpty();
  }
}
