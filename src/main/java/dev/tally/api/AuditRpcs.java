package dev.tally.api;

import dev.tally.api.proto.AdminAuditEntry;
import dev.tally.api.proto.ListAdminAuditEntriesRequest;
import dev.tally.api.proto.ListAdminAuditEntriesResponse;
import dev.tally.audit.AuditLog;
import dev.tally.audit.AuditRecord;
import dev.tally.auth.Principal;
import dev.tally.common.Ids;

import java.util.Optional;
import java.util.UUID;

/** The audit trail of admin changes (DESIGN §15): GET /v1beta1/admin/audit_logs. */
final class AuditRpcs {
    private final AuditLog auditLog;

    AuditRpcs(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    ListAdminAuditEntriesResponse list(Principal principal, ListAdminAuditEntriesRequest request) {
        principal.requireAdmin();
        Optional<UUID> orgId = request.getOrgId().isEmpty()
                ? Optional.empty() : Optional.of(Ids.parse("org_id", request.getOrgId()));
        var filter = new AuditLog.Filter(orgId,
                ProtoMapping.optionalInstant(request.hasStartRange(), request.getStartRange()),
                ProtoMapping.optionalInstant(request.hasEndRange(), request.getEndRange()));
        AuditLog.Page page = auditLog.list(principal, filter, request.getPageSize(), request.getPageToken());
        var response = ListAdminAuditEntriesResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.records().forEach(record -> response.addEntries(entry(record)));
        return response.build();
    }

    private static AdminAuditEntry entry(AuditRecord record) {
        return AdminAuditEntry.newBuilder()
                .setId(record.id().toString())
                .setCreatedAt(ProtoMapping.timestamp(record.createdAt()))
                .setActor(record.actor())
                .setAction(record.action())
                .setTargetType(record.targetType())
                .setTargetId(record.targetId())
                .setOrgId(record.orgId().map(UUID::toString).orElse(""))
                .setBefore(record.before())
                .setAfter(record.after())
                .build();
    }
}
