package dev.tally.auth;

import dev.tally.common.TallyException;

import java.util.Optional;
import java.util.UUID;

/**
 * Who is calling: a platform admin, or a service user limited to one organization.
 * Every ledger entry records {@link #auditName()}.
 */
public record Principal(UUID serviceUserId, Optional<UUID> organizationId, boolean platformAdmin) {

    public String auditName() {
        return "serviceuser:" + serviceUserId;
    }

    /** Fails with PERMISSION_DENIED unless this principal is a platform admin. */
    public void requireAdmin() {
        if (!platformAdmin) {
            throw TallyException.permissionDenied("this operation needs a platform admin");
        }
    }

    /**
     * Fails with PERMISSION_DENIED unless this principal may act within {@code orgId}.
     * An organization-limited principal gets the same answer whether the other organization
     * exists or not, so that it cannot probe for others' ids.
     */
    public void requireOrganization(UUID orgId) {
        if (!platformAdmin && !organizationId.equals(Optional.of(orgId))) {
            throw TallyException.permissionDenied("the credential may not act on this organization");
        }
    }

    public boolean mayAccess(UUID orgId) {
        return platformAdmin || organizationId.equals(Optional.of(orgId));
    }
}
