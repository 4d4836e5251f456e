#!/usr/bin/env python3
"""Aggregates jdk.ExecutionSample of a JFR file: per thread kind, per category, top self and inclusive frames.
usage: jfr_attr.py file.jfr [--from HH:MM:SS --to HH:MM:SS]"""
import json, subprocess, sys, collections, re, os
jfr = os.path.join(os.environ.get('JAVA_HOME', '/usr/lib/jvm/temurin-25-jdk-amd64'), 'bin', 'jfr')
path = sys.argv[1]
event = sys.argv[sys.argv.index('--event') + 1] if '--event' in sys.argv else 'jdk.ExecutionSample'
raw = subprocess.run([jfr, 'print', '--json', '--stack-depth', '96', '--events', event, path],
                     capture_output=True, text=True, check=True).stdout
events = json.loads(raw)['recording']['events']

def frames(e):
    st = e['values'].get('stackTrace') or {'frames': []}
    out = []
    for f in st['frames']:
        m = f['method']
        out.append(m['type']['name'].replace('/', '.') + '.' + m['name'])
    return out

def thread_kind(name):
    n = name or ''
    if 'armeria-common-worker' in n or 'armeria-boss' in n or 'epoll' in n.lower() or 'event-loop' in n: return 'event loop'
    if 'blocking-tasks' in n or 'armeria-common-blocking' in n: return 'blocking executor'
    if 'lane' in n.lower() or 'usage' in n.lower(): return 'usage lane'
    if 'webhook' in n.lower() or 'dispatch' in n.lower(): return 'webhooks'
    if 'Hikari' in n or 'housekeeper' in n.lower(): return 'pool housekeeping'
    return 'other: ' + re.sub(r'[-#]?\d+', '', n)

# First match from the leaf decides; order within a frame does not matter (one marker per frame).
MARKERS = [
    ('access log', re.compile(r'dev\.tally\.ops\.(AccessLog|BatchedLines)|logging\.AccessLog|LoggingService')),
    ('metrics', re.compile(r'io\.micrometer|MetricCollectingService|dev\.tally\.ops\.RpcMeterIds|RequestMetricSupport|prometheus')),
    ('request ids / drain', re.compile(r'dev\.tally\.ops\.(RequestIds|Drain)')),
    ('authentication', re.compile(r'dev\.tally\.auth\.|dev\.tally\.ops\.(RateLimits|Operations\.admit)|bucket4j|console\.SessionGate')),
    ('idempotency', re.compile(r'dev\.tally\.idempotency|RpcPipeline\.requestSha256|IdempotentIds')),
    ('request binding', re.compile(r'dev\.tally\.api\.(RequestBinder|JsonTypeCheck|JsonTreeMerger|QueryStringBinder|ProtoMapping\.to)|RestEndpoint\.bind')),
    ('reply rendering', re.compile(r'dev\.tally\.api\.(JsonReply|ProtoJson|Answer|Utf8JsonBuffer|ErrorResponses)|dev\.tally\.api\.LedgerRpcs\.(render|reply)')),
    ('lane / group JDBC', re.compile(r'dev\.tally\.billing\.ledger\.(UsageGroup|UsageWriter|UsageRollups|LedgerRepository|GrantBook|UsageLane)')),
    ('usage validation (NewUsage, LedgerRpcs)', re.compile(r'dev\.tally\.billing\.ledger\.NewUsage|dev\.tally\.api\.LedgerRpcs\.createUsage')),
    ('usage service (submit / wait)', re.compile(r'dev\.tally\.billing\.ledger\.UsageService')),
    ('webhooks', re.compile(r'dev\.tally\.webhooks')),
    ('rpc pipeline / other tally', re.compile(r'dev\.tally\.')),
]

def category(fs, kind):
    for f in fs:
        for name, rx in MARKERS[:-1]:
            if rx.search(f):
                return name
    for f in fs:
        if MARKERS[-1][1].search(f):
            return MARKERS[-1][0] + ' on ' + kind
    return 'unattributed on ' + kind

lo = hi = None
if '--from' in sys.argv: lo = sys.argv[sys.argv.index('--from') + 1]
if '--to' in sys.argv: hi = sys.argv[sys.argv.index('--to') + 1]
kinds = collections.Counter(); cats = collections.Counter(); selfc = collections.Counter(); incl = collections.Counter()
threads = collections.Counter(); catkind = collections.Counter()
n = 0
focus = sys.argv[sys.argv.index('--focus') + 1] if '--focus' in sys.argv else None
focusincl = collections.Counter(); focusself = collections.Counter()
for e in events:
    t = e['values']['startTime'][11:19]
    if lo and t < lo or hi and t > hi: continue
    th = e['values'].get('sampledThread') or e['values'].get('eventThread')
    name = th.get('javaName') or th.get('osName')
    fs = frames(e)
    if not fs: continue
    n += 1
    k = thread_kind(name)
    kinds[k] += 1; threads[re.sub(r'\d+', 'N', name or '')] += 1
    c = category(fs, k); cats[c] += 1; catkind[(c, k)] += 1
    selfc[fs[0]] += 1
    for f in set(fs): incl[f] += 1
    if c == focus:
        for f in set(fs): focusincl[f] += 1
        focusself[fs[0]] += 1

def table(title, counter, top=None):
    print(f'\n## {title} (of {n} samples)')
    for key, v in counter.most_common(top):
        print(f'{100.0 * v / n:6.1f} %  {v:6d}  {key}')

print(f'samples: {n}')
table('thread kind', kinds)
table('thread names', threads, 20)
table('category', cats)
table('category x thread', catkind, 30)
table('top self frames', selfc, 45)
table('top inclusive dev.tally frames', collections.Counter({k: v for k, v in incl.items() if k.startswith('dev.tally')}), 45)
if '--incl-all' in sys.argv:
    table('top inclusive frames', incl, 80)
if focus:
    table('focus ' + focus + ': inclusive', focusincl, 60)
    table('focus ' + focus + ': self', focusself, 30)
