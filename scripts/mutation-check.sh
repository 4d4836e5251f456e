#!/usr/bin/env bash
# Mutation check: does the suite notice when a rule of the code is broken?
#
# Each mutation in scripts/mutations.txt breaks one rule by hand (a literal text replacement in one
# or more files). For each, this script restores a scratch copy of the tree, applies the mutation,
# runs only the test classes that cover that rule (on H2, or on PostgreSQL for lock mutations) and
# reports the mutation KILLED (a test failed), SURVIVED (every test passed: a hole in the suite) or
# INVALID (the mutant does not compile; fix the mutation). The working tree is never modified.
#
# Usage:   scripts/mutation-check.sh [mutation-id ...]      (no ids: every mutation)
# Needs:   JAVA_HOME of a JDK >= 21; for "db: pg" mutations a PostgreSQL at TALLY_TEST_POSTGRES_URL
#          (default jdbc:postgresql://127.0.0.1:5432/test?user=postgres); tests use their own schema.
# Env:     SCRATCH (default /tmp/tally-mutants), BASELINE=0 skips the unmutated run,
#          TIMEOUT seconds per mutation (default 900; a timeout counts as killed).
# Output:  one line per mutation on stdout and in $SCRATCH/report.txt; logs in $SCRATCH/logs/.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LIST=${MUTATIONS:-$ROOT/scripts/mutations.txt}
SCRATCH=${SCRATCH:-/tmp/tally-mutants}
TIMEOUT=${TIMEOUT:-900}
PG_URL=${TALLY_TEST_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
export PATH="$JAVA_HOME/bin:$PATH"

TREE=$SCRATCH/tree
LOGS=$SCRATCH/logs
REPORT=$SCRATCH/report.txt
mkdir -p "$TREE" "$LOGS"
rm -rf "$TREE/src"
cp -r "$ROOT/src" "$ROOT/pom.xml" "$ROOT/mvnw" "$TREE/"
[ -d "$ROOT/.mvn" ] && cp -r "$ROOT/.mvn" "$TREE/"
: > "$REPORT"

# Runs the given test classes in the scratch tree; prints the outcome word; the log goes to $3.
run_tests() {
    local db=$1 tests=$2 log=$3 rc
    if [ "$db" = pg ]; then
        (cd "$TREE" && TALLY_TEST_POSTGRES_URL=$PG_URL timeout --kill-after=30 "$TIMEOUT" ./mvnw -B -P '!postgres-tests' \
            -Dtally.test.database=postgres -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false -Dmaven.compiler.useIncrementalCompilation=false test) > "$log" 2>&1
    else
        (cd "$TREE" && env -u TALLY_TEST_POSTGRES_URL timeout --kill-after=30 "$TIMEOUT" ./mvnw -B \
            -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false -Dmaven.compiler.useIncrementalCompilation=false test) > "$log" 2>&1
    fi
    rc=$?
    if [ $rc -eq 0 ]; then echo SURVIVED
    elif grep -q "COMPILATION ERROR" "$log"; then echo INVALID
    elif [ $rc -eq 124 ] || [ $rc -eq 137 ]; then echo KILLED-BY-TIMEOUT
    elif grep -q "There are test failures\|Tests run:.*\(Failures: [1-9]\|Errors: [1-9]\)" "$log"; then echo KILLED
    else echo ERROR
    fi
}

# Replaces every occurrence of the literal $2 by $3 in file $1; fails when there is none.
replace_literal() {
    local file=$TREE/$1
    FROM=$2 TO=$3 perl -0 -i -ne 'BEGIN { $n = 0 } $n += s/\Q$ENV{FROM}\E/$ENV{TO}/g; print;
        END { exit($n == 0 ? 3 : 0) }' "$file"
}

declare -a FILES FROMS TOS
ID="" RULE="" TESTS="" DB="" ONLY=" $* "
declare -A UNION
killed=0 survived=0 invalid=0 total=0

run_mutation() {
    [ -z "$ID" ] && return
    if [ "$ONLY" != "  " ] && [[ "$ONLY" != *" $ID "* ]]; then return; fi
    total=$((total + 1))
    local i outcome failed=""
    for i in "${!FILES[@]}"; do cp "$ROOT/${FILES[$i]}" "$TREE/${FILES[$i]}"; done
    for i in "${!FILES[@]}"; do
        if ! replace_literal "${FILES[$i]}" "${FROMS[$i]}" "${TOS[$i]}"; then
            outcome="NOT-APPLIED(${FILES[$i]}: text not found)"
        fi
    done
    if [ -z "${outcome:-}" ]; then
        outcome=$(run_tests "$DB" "$TESTS" "$LOGS/$ID.log")
        failed=$(grep -m1 -o "[A-Za-z]*Test\.[A-Za-z0-9_]*" <(grep "<<< FAIL\|^\[ERROR\]   [A-Za-z]*Test\." "$LOGS/$ID.log") || true)
    fi
    for i in "${!FILES[@]}"; do cp "$ROOT/${FILES[$i]}" "$TREE/${FILES[$i]}"; done
    case $outcome in
        KILLED*) killed=$((killed + 1)) ;;
        SURVIVED) survived=$((survived + 1)) ;;
        *) invalid=$((invalid + 1)) ;;
    esac
    printf '%-18s %-38s %-12s %-3s %s\n' "$outcome" "$ID" "$RULE" "$DB" "${failed:+by $failed}" | tee -a "$REPORT"
}

baseline() {
    local db tests outcome
    for db in h2 pg; do
        tests=${UNION[$db]:-}
        [ -z "$tests" ] && continue
        outcome=$(run_tests "$db" "${tests#,}" "$LOGS/baseline-$db.log")
        # "SURVIVED" means every test passed, which is what the unmutated tree must do.
        echo "baseline (unmutated tree, the same test classes) on $db: $([ "$outcome" = SURVIVED ] && echo passed || echo "$outcome")" \
            | tee -a "$REPORT"
        if [ "$outcome" != SURVIVED ]; then
            echo "the unmutated tree fails its own tests on $db; see $LOGS/baseline-$db.log" >&2
            exit 1
        fi
    done
}

# First pass: the union of test classes per database, for the baseline.
while IFS= read -r line; do
    case $line in
        "tests: "*) t=${line#tests: } ;;
        "db: "*) d=${line#db: }; for c in ${t//,/ }; do [[ ",${UNION[$d]:-}," == *",$c,"* ]] || UNION[$d]="${UNION[$d]:-},$c"; done ;;
    esac
done < "$LIST"
[ "${BASELINE:-1}" = 0 ] || baseline

while IFS= read -r line || [ -n "$line" ]; do
    case $line in
        "#"*|"") ;;
        "== "*) run_mutation; ID=${line#== }; ID=${ID%%:*}; RULE="" TESTS="" DB=h2; FILES=(); FROMS=(); TOS=() ;;
        "rule: "*) RULE=${line#rule: } ;;
        "tests: "*) TESTS=${line#tests: } ;;
        "db: "*) DB=${line#db: } ;;
        "file: "*) FILES+=("${line#file: }") ;;
        "from: "*) FROMS+=("${line#from: }") ;;
        "to: "*) TOS+=("${line#to: }") ;;
        "to:") TOS+=("") ;;
        *) echo "mutations.txt: cannot read: $line" >&2; exit 2 ;;
    esac
done < "$LIST"
run_mutation

echo "$total mutations: $killed killed, $survived survived, $invalid invalid or not applied" | tee -a "$REPORT"
[ "$survived" -eq 0 ] && [ "$invalid" -eq 0 ]
