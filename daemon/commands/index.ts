/**
 * Every `cusp` subcommand as a card: its words, its one-line summary and its help, and how to
 * load it. `cusp help` and `cusp <command> --help` read only these cards; a command's module
 * (and the libraries it needs: the database driver, three.js, koa, ink …) is loaded only
 * when that command runs, so a command pays only for what it uses (`cusp version` starts in
 * about the time of a bare `node`). One module per subcommand, as litestream does.
 */
import type { CommandCard } from '../command.js';

/** Every `cusp` subcommand. Add new ones here, with a module under daemon/commands/. */
export const commands: CommandCard[] = [
  {
    path: ['daemon'],
    summary: 'run the Cusp daemon (watch folders, process scans, serve the API)',
    usage: `usage: cusp daemon [--config FILE]

Runs in the foreground until SIGTERM or SIGINT. Without a config file it runs on the
built-in default: data under ./cusp-data/, inbox ./cusp-data/inbox/, API on
https://127.0.0.1:8443.`,
    load: async () => (await import('./daemon.js')).daemon,
  },
  {
    path: ['console'],
    summary: 'the terminal console: health, scans, jobs, folders, access, audit, maintenance',
    usage: `usage: cusp console [--config FILE] [--socket PATH]
       cusp console --url https://HOST:PORT [--token-file FILE] [--ca FILE]

Opens the terminal console. On the daemon's machine it talks to the daemon over the admin
socket (api.adminSocket of the config, or --socket): the socket's file permissions are the
authentication, so run it as the cusp user or a member of its group. For another machine
give --url, an API token and the daemon's CA certificate with --ca (data folder
tls/ca.crt). The token comes from --token-file FILE (one line, best 0600) or the
CUSP_TOKEN variable — never the command line, which every user sees in ps; --token TOKEN
still works for now but warns.

The console never opens the database and never holds the database key. It locks itself
after console.idleLockMinutes without a key press; unlock by typing 'unlock' (socket) or
the token again (--url). Keys: 1-7 screens, ? help, q quit. Colours follow NO_COLOR.`,
    load: async () => (await import('./console.js')).consoleCommand,
  },
  {
    path: ['config', 'check'],
    summary: 'validate the config file and CUSP_* variables, printing every problem',
    usage: `usage: cusp config check [--config FILE] [--print] [--try PATH… [--folder NAME] [--json]]

Finds the config as the daemon does (--config, CUSP_CONFIG, /etc/cusp/cusp.yaml, else the
built-in default), applies CUSP_* variables and checks everything. Prints "config OK: …"
or every problem as "<key path>: <message>", one per line, and exits 1.
  --print   also print the effective config (every default filled in) as YAML
  --try     what the folder's rule makes of a sample path: every field found (patient,
            birth date, capture date, jaw, ids) with its source, what each source said,
            conflicts; a file that exists is read with its manifest, Rx page, project
            file and sidecar. --folder names the folder for a path given relative to it`,
    load: async () => (await import('./config-check.js')).configCheck,
  },
  {
    path: ['audit', 'verify'],
    summary: 'check the whole audit chain and its signed checkpoints; name the first bad event',
    usage: `usage: cusp audit verify [--config FILE] [--json] [--public-key FILE] [--against FILE|URL]…

Recomputes every event's hash and link, checks every checkpoint's Ed25519 signature and
compares the checkpoints kept in the database with those in the checkpoint file outside
it (audit.checkpointFile), so edits, deletions, insertions, reordering and a cut-off tail
are all found. --public-key verifies with a copy of the public key (SPKI PEM) instead of
the signing key file. Exit status 0 when the chain is intact, 1 when it is not.

--against FILE|URL  also check the trail against a copy kept outside this server, and
                 name the first event that does not match it: the file a syslog
                 collector wrote (audit.syslog checkpoint messages, or 'cusp audit export
                 --format syslog' lines), a checkpoints.jsonl copied away, or a URL of the
                 daemon's /health or /metrics (--ca FILE for its CA; /metrics needs an
                 admin token in CUSP_TOKEN or --token-file FILE). Repeatable. Finds what
                 the files on this server cannot: a tail cut off together with its
                 checkpoints, or a trail re-signed with a replaced key.

The check reads the database read-only, so it works on a full disk; the verification is
then recorded in the audit trail when the disk has room (else a line on stderr says it
could not be).`,
    load: async () => (await import('./audit-verify.js')).auditVerify,
  },
  {
    path: ['audit', 'new-signing-key'],
    summary: 'replace a lost audit signing key, deliberately and on the record',
    usage: `usage: cusp audit new-signing-key --reason TEXT [--config FILE]

The daemon refuses to start when the checkpoint signing key (audit.signingKeyFile) is
missing for a trail that was signed: restore the key file first. Only when it is lost for
good, this makes a new one: the old public key is kept in <signingKeyFile>.retired (so
the old checkpoints still verify), and an audit event naming both key ids and the reason
is signed with the new key. Refused while the daemon runs or while a key file exists.`,
    load: async () => (await import('./audit-new-signing-key.js')).auditNewSigningKey,
  },
  {
    path: ['audit', 'export'],
    summary: 'write the audit trail as FHIR AuditEvent NDJSON or RFC 5424 syslog lines',
    usage: `usage: cusp audit export --format fhir|syslog [--since SEQ] [--out FILE] [--config FILE]

Writes every audit event after event SEQ (default: all), oldest first, one per line:
  fhir    FHIR R4 AuditEvent resources as NDJSON (for a FHIR server or a SIEM)
  syslog  RFC 5424 lines in the DICOM/IHE ATNA style (facility authpriv)
Each line carries the event's sequence number and chain hash, so a copy can be checked
against 'cusp audit verify'. Output goes to stdout, or to FILE (created with mode 0600;
an existing FILE is refused). The export itself is recorded in the audit trail.`,
    load: async () => (await import('./audit-export.js')).auditExport,
  },
  {
    path: ['key', 'rotate'],
    summary: 're-encrypt the database under a new random key (works while the daemon runs)',
    usage: `usage: cusp key rotate [--config FILE] [--new-key-file FILE]

Generates a new 256-bit key, re-encrypts the database with it and replaces the key file
(store.keyFile) atomically; the old key stops opening the database. A crash at any point
loses nothing: the next start finishes or undoes the rotation. Before re-encrypting, a copy
of the database under the old key is written beside it (cusp.db.pre-rekey) and removed once
the rotation is settled; if the re-encryption is killed half-way, the next start puts that
copy back (the old key stays in force; the interrupted file is kept as cusp.db.broken-TIME).
So the rotation needs free space on the database's disk for one more copy of the database
plus 64 MB; without it, it is refused before anything changes. While the daemon runs, the
daemon re-encrypts its open database (over the admin socket) and keeps serving. When the
key comes from a systemd credential that is not the key file, --new-key-file names where to
write the new key; then update the credential (systemd-creds encrypt) before the next start.`,
    load: async () => (await import('./key-rotate.js')).keyRotate,
  },
  {
    path: ['backup'],
    summary: 'write a consistent, encrypted backup (works while the daemon runs)',
    usage: `usage: cusp backup [FILE] [--key-file FILE] [--config FILE]

Writes one backup file: the encrypted database, the audit checkpoints, the audit signing
key's public half and the local CA, with a manifest of sizes and SHA-256 hashes. The
audit signing key itself goes in only under a separate --key-file: under the database key
alone it would let whoever holds that key re-sign a rewritten trail — keep a copy of
audit.signingKeyFile apart from the server instead (restore asks for it). Without FILE it is
named cusp-<UTC time>.cuspbak in backup.dir, and older backups named that way are rotated
to backup.keep. An existing file is never overwritten.

While the daemon runs, the daemon writes the backup (it holds the key): FILE must then be
in a folder the service may write, such as backup.dir. The copy is one consistent point
in time; ingest and the API keep working meanwhile.

--key-file FILE  encrypt with a separate 256-bit backup key (64 hex characters, mode
                 0600, e.g. 'openssl rand -hex 32') instead of the database key; keep it
                 apart from the server — the backup cannot be restored without it. Such a
                 backup also carries the audit signing key, sealed under it.`,
    load: async () => (await import('./backup.js')).backup,
  },
  {
    path: ['restore'],
    summary: 'check a backup and restore it (the daemon must be stopped)',
    usage: `usage: cusp restore FILE [--key-file FILE] [--signing-key FILE] [--check] [--config FILE]

Checks the backup completely before anything is replaced: every entry's SHA-256, the key,
SQLite's integrity check, the schema version (a backup from a newer cusp is refused) and
the whole audit chain against its signed checkpoints. Then moves the current database,
audit files and local CA aside into <dataDir>/.pre-restore-<time>/ and puts the backup's
in their place, re-encrypted under this server's database key. The daemon must be
stopped (systemctl stop cusp); start it afterwards — it applies any newer migrations.

--key-file FILE  the key the backup was made with, when it is not this server's database
                 key (a separate backup key, or the database key of the old server)
--check          only check the backup and print what it holds; change nothing (works
                 while the daemon runs)
--signing-key FILE  the audit signing key file you keep apart from the server: a backup
                 under the database key alone does not carry it (so that key alone cannot
                 re-sign a rewritten trail); not needed when this server still has the
                 same key, or the backup was made with a separate --key-file
--without-signing-key  restore although the key is lost; the daemon then refuses to start
                 until 'cusp audit new-signing-key --reason TEXT' (recorded)`,
    load: async () => (await import('./restore.js')).restore,
  },
  {
    path: ['import'],
    summary: 'take scan files in by hand, through the running daemon',
    usage: `usage: cusp import FILE… [--patient ID] [--jaw upper|lower|bite|other] [--captured-at YYYY-MM-DD] [--config FILE]

Sends each file to the running daemon over its admin socket, which takes it in exactly as
a scanner's file: read and checked in a worker, stored encrypted with its audit event,
deduplicated by content. The files themselves are left where they are. --patient (a
pseudonymous patient id), --jaw and --captured-at apply to every file; without them the
file name is read as a watched folder's 'generic' rule would. One line per file; the exit
status is 1 when any file was not taken in.`,
    load: async () => (await import('./import.js')).importCommand,
  },
  {
    path: ['inspect'],
    summary: 'check and measure mesh files (STL, PLY, OBJ, glTF) and judge them as a scan or a printable solid',
    usage: `usage: cusp inspect FILE… [--json] [--profile scan|solid] [--no-self-intersection] [--analyse [--min-wall MM]]

Reads each file (an OBJ's .mtl and a glTF's .bin are taken from the file's folder) and
reports its size, area, volume, pieces, borders and holes, manifold and winding checks,
self-intersections and a guess of its units, with a verdict: ok, warn or fail.

  --profile scan    an intraoral scan: an open surface with one outer border (default)
  --profile solid   a printable model: must be closed, manifold, outward-facing
  --no-self-intersection   skip the slowest check
  --analyse        also measure the wall thickness (by inward rays from every vertex)
  --min-wall MM    walls thinner than this are reported as thin (default 0.5)
  --json            print a JSON array, one object per file, with the report's fields plus
                    file, format, variant and warnings (or file and error for a rejected file)

Exit status 0 when every file was read and none failed its checks; 1 when a file was
rejected or any verdict is fail; 2 on a usage error. Each rejected file gets one line on
stderr.`,
    load: async () => (await import('./inspect.js')).inspect,
  },
  {
    path: ['compare'],
    summary: 'compare a new scan of a jaw with an earlier one: alignment, deviation, moved regions',
    usage: `usage: cusp compare OLD NEW [--json] [--png FILE] [--glb FILE] [--no-register]

Compare NEW with OLD, an earlier scan of the same jaw (STL, PLY, OBJ, glTF or GLB, in mm).
NEW is aligned onto OLD (a coarse search, then ICP that ignores what changed), then every
point of NEW gets its distance to OLD: positive where NEW lies outside (material added,
tooth moved outward), negative inside. Parts that only one scan covers are left out.

options:
  --json           print the result as JSON (transform, residualMm, overlap, stats, regions, back)
  --png FILE       write a heat map of NEW (blue inward, red outward, legend in mm)
  --glb FILE       write NEW with the heat map as vertex colours, for a 3D viewer
  --no-register    the scans share a frame already: measure without aligning
  --config FILE    accepted for uniformity; compare needs no configuration

Exit status 0 when both files were read and compared; 1 when one could not be read.`,
    load: async () => (await import('./compare.js')).compare,
  },
  {
    path: ['convert'],
    summary: 'convert a mesh file between STL, PLY, OBJ and GLB',
    usage: `usage: cusp convert IN OUT [--ascii]

Convert a mesh file. The format of OUT follows its extension: .stl, .ply, .obj (writes the
.mtl beside it when the mesh has materials), .glb or .gltf. IN may be STL, PLY, OBJ, glTF or
GLB; its .mtl/.bin companions are read from its folder.

options:
  --ascii          write ASCII instead of binary (STL and PLY only)
  --config FILE    accepted for uniformity; convert needs no configuration`,
    load: async () => (await import('./convert.js')).convert,
  },
  {
    path: ['token', 'create'],
    summary: 'create an API token for a user or client (shown once)',
    usage: `usage: cusp token create --name NAME --role admin|clinician|integration|auditor [--days N] [--scope S]… [--user] [--break-glass] [--config FILE]

Creates the principal NAME if it does not exist (an API client, or a person with --user),
then issues a token for it and prints the token once: store it in the practice software
now, Cusp keeps only its hash. The token expires after --days (default api.tokenTtlDays).
--scope limits it to resources (e.g. --scope scans:read --scope changes). --break-glass
makes an emergency admin token: every use raises a security alert in the audit trail.`,
    load: async () => (await import('./token-create.js')).tokenCreate,
  },
  {
    path: ['token', 'list'],
    summary: 'list API tokens with their principal, role and state (never the secrets)',
    usage: `usage: cusp token list [--name NAME] [--json] [--config FILE]

Lists every token (or those of the principal NAME): id, principal, role, token name,
state (active, expired, revoked, or disabled when its principal is), expiry and last use.
Secrets are never shown: Cusp keeps only their hashes. --json prints one JSON document.`,
    load: async () => (await import('./token-list.js')).tokenList,
  },
  {
    path: ['token', 'revoke'],
    summary: 'revoke an API token at once (by its id from cusp token list)',
    usage: `usage: cusp token revoke ID [--config FILE]

Revokes the token ID (the first column of cusp token list). A running daemon refuses it
from its next request on. Revoking cannot be undone: issue a new token instead.`,
    load: async () => (await import('./token-revoke.js')).tokenRevoke,
  },
  {
    path: ['principal', 'disable'],
    summary: 'disable a user or API client: its tokens and client certificates are refused at once',
    usage: `usage: cusp principal disable NAME [--config FILE]

Disables the principal NAME (a user or API client). A running daemon refuses its tokens
and its client certificate (mutual TLS) from the next request on. Its tokens are kept:
cusp principal enable NAME makes them work again.`,
    load: async () => (await import('./principal-disable.js')).principalDisable,
  },
  {
    path: ['principal', 'enable'],
    summary: 'enable a disabled user or API client again',
    usage: `usage: cusp principal enable NAME [--config FILE]

Enables the principal NAME again: its tokens that are neither revoked nor expired, and its
client certificate, work again from the next request on.`,
    load: async () => (await import('./principal-enable.js')).principalEnable,
  },
  {
    path: ['link'],
    summary: 'print a signed link that opens the review page for one patient, visit or scan',
    usage: `usage: cusp link --patient ID | --ext SYSTEM:VALUE | --visit ID | --scan UID [--minutes N] [--config FILE]

Asks the running daemon (over its admin socket) for a signed review link and prints its
URL: opened in a browser, it shows the review page at that patient (--patient, a
pseudonymous id; --ext, the practice software's number like pms:4711), visit or scan
without a sign-in, limited to that one patient, acting as the local administrator; every
use is in the audit trail. The link expires after --minutes (default 60, at most 1440).
The URL starts with api.publicUrl when it is set, else https://<api.host>:<api.port>.`,
    load: async () => (await import('./link.js')).link,
  },
  {
    path: ['version'],
    summary: 'print the version of cusp, Node.js and SQLCipher',
    usage: 'usage: cusp version',
    load: async () => (await import('./version.js')).version,
  },
];
