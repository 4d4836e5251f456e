package dev.tally.console;

import dev.tally.auth.Principal;

/** A signed-in console session: who it acts as, and the token every change must carry. */
record ConsoleSession(Principal principal, String csrfToken) {

    /** Only a platform admin changes anything through the console; a service user reads its organization. */
    boolean mayChange() {
        return principal.platformAdmin();
    }
}
