package dev.tally.audit;

import dev.tally.auth.Principal;
import dev.tally.common.PageCursor;
import dev.tally.common.PageTokens;
import dev.tally.common.TallyException;
import dev.tally.storage.Database;
import dev.tally.storage.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reading the audit trail, newest first, in keyset pages (created_at, id), filtered by organization
 * and time: platform admins only. A page token carries its position and the filter it was issued
 * for, so a token from another query is refused rather than silently giving a wrong page.
 */
public final class AuditLog {
    public static final int PAGE_SIZE_MAX = 1_000;
    public static final int PAGE_SIZE_DEFAULT = 100;

    private final Database database;

    public AuditLog(Database database) {
        this.database = database;
    }

    /** Changes created in [start, end), as ListBillingTransactions reads its range; empty means open. */
    public record Filter(Optional<UUID> orgId, Optional<Instant> start, Optional<Instant> end) {
        /** The audit trail belongs to no account, so a token is bound to its filter alone. */
        PageTokens.Binding pageTokenBinding() {
            String fingerprint = orgId.map(UUID::toString).orElse("") + "|" + start.map(Instant::toString).orElse("")
                    + "|" + end.map(Instant::toString).orElse("");
            return new PageTokens.Binding(PageTokens.NO_OWNER, "not a token of the audit trail", fingerprint,
                    "issued for other org_id, start_range or end_range values");
        }
    }

    public record Page(List<AuditRecord> records, String nextPageToken) {}

    /** {@code pageSize} 0 means {@value #PAGE_SIZE_DEFAULT}; {@code pageToken} "" the first page. */
    public Page list(Principal principal, Filter filter, int pageSize, String pageToken) {
        principal.requireAdmin();
        if (pageSize < 0 || pageSize > PAGE_SIZE_MAX) {
            throw TallyException.invalidArgument("page_size: " + pageSize + " (expected: 1 to " + PAGE_SIZE_MAX
                    + ", or 0 for " + PAGE_SIZE_DEFAULT + ")");
        }
        if (filter.start().isPresent() && filter.end().isPresent() && !filter.start().get().isBefore(filter.end().get())) {
            throw TallyException.invalidArgument("end_range: " + filter.end().get() + " (expected: after start_range "
                    + filter.start().get() + ")");
        }
        int size = pageSize == 0 ? PAGE_SIZE_DEFAULT : pageSize;
        Optional<PageCursor> after = pageToken.isEmpty()
                ? Optional.empty()
                : Optional.of(PageTokens.decode(pageToken, filter.pageTokenBinding()));
        List<AuditRecord> rows = database.inTransaction(connection -> page(connection, filter, after, size + 1));
        if (rows.size() <= size) {
            return new Page(rows, "");
        }
        List<AuditRecord> page = List.copyOf(rows.subList(0, size));
        AuditRecord last = page.get(size - 1);
        return new Page(page, PageTokens.encode(filter.pageTokenBinding(), new PageCursor(last.createdAt(), last.id())));
    }

    private static List<AuditRecord> page(Connection connection, Filter filter, Optional<PageCursor> after, int limit)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id, created_at, actor, action, target_type, target_id, org_id,"
                + " before_state, after_state FROM audit_log WHERE 1 = 1");
        List<Object> values = new ArrayList<>();
        filter.orgId().ifPresent(orgId -> {
            sql.append(" AND org_id = ?");
            values.add(orgId);
        });
        filter.start().ifPresent(start -> {
            sql.append(" AND created_at >= ?");
            values.add(Sql.timestamp(start));
        });
        filter.end().ifPresent(end -> {
            sql.append(" AND created_at < ?");
            values.add(Sql.timestamp(end));
        });
        after.ifPresent(position -> {
            // Row comparison written out: H2 and PostgreSQL both plan it on the (created_at, id) index.
            sql.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
            values.add(Sql.timestamp(position.createdAt()));
            values.add(Sql.timestamp(position.createdAt()));
            values.add(position.id());
        });
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        values.add(limit);
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                statement.setObject(i + 1, values.get(i));
            }
            List<AuditRecord> records = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    records.add(new AuditRecord(rows.getObject("id", UUID.class), Sql.instant(rows, "created_at"),
                            rows.getString("actor"), rows.getString("action"), rows.getString("target_type"),
                            rows.getString("target_id"), Optional.ofNullable(rows.getObject("org_id", UUID.class)),
                            rows.getString("before_state"), rows.getString("after_state")));
                }
            }
            return records;
        }
    }
}
