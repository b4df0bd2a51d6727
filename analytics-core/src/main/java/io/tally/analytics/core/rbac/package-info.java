/**
 * Role-based access control with object-level checks: {@link io.tally.analytics.core.rbac.Roles} maps roles to
 * permissions, {@link io.tally.analytics.core.rbac.AccessPolicy} decides, as a list of named rules, whether an
 * {@link io.tally.analytics.core.rbac.Actor} may use a permission on a
 * {@link io.tally.analytics.core.rbac.ResourceScope}.
 */
package io.tally.analytics.core.rbac;
