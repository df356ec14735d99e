/**
 * Every limit Quire enforces, in one place. Each name carries its unit; each
 * comment says why the number is what it is. Server and client read the same values.
 */

/** A single WebSocket frame. Pastes of whole chapters fit well below this; anything
 * larger is either hostile or a bug, and would stall the room while it is applied. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/** A document's whole encoded state. Past this, loads and compactions get slow
 * (tens of ms per MB) and every joining client downloads it: refuse further growth. */
export const MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;

/** Custom (JSON) messages are small control messages; a long one is junk. */
export const MAX_CUSTOM_MESSAGE_BYTES = 16 * 1024;

/** Per-connection message budget (token bucket). A person types ~10 updates/s and a
 * paste is one; the refill is generous so replaying real traces and benchmarks stays
 * unthrottled, while a flood from one socket cannot starve the room. */
export const RATE_MESSAGES_PER_SECOND = 5_000;
export const RATE_MESSAGES_BURST = 20_000;

/** Awareness (cursor/presence) updates per connection: caret moves are throttled by
 * the client to a few per second; keep-alives come every ~15 s. */
export const RATE_AWARENESS_PER_SECOND = 30;
export const RATE_AWARENESS_BURST = 60;

/** Updates waiting to be applied as one batch. Bigger batches amortise the durable
 * commit further but delay the first reader; 256 measured well (SETUP-FACTS). */
export const MAX_BATCH_UPDATES = 256;

/** Updates applied at once in each event-loop tick before batching starts: a lone
 * edit goes out immediately instead of waiting ~1 ms for a setTimeout(0). */
export const DIRECT_UPDATES_PER_TICK = 2;

/** Compaction: fold the update log into a snapshot past either threshold, so a cold
 * load replays at most this much. Replaying a row costs about what compaction costs
 * per row for a large document (~0.07 ms each, measured on the automerge-paper
 * trace), so 1,000 rows balances the two; an idle room is compacted entirely. */
export const COMPACT_LOG_ENTRIES = 1_000;
export const COMPACT_LOG_BYTES = 1024 * 1024;

/** Stored values are split into chunks well under SQLite's 2 MB row limit. */
export const STORAGE_CHUNK_BYTES = 512 * 1024;

/** A stored snapshot that inflates past this is corrupt or hostile: a real one is at
 * most the document limit, so stop decompressing instead of exhausting memory. */
export const MAX_SNAPSHOT_INFLATED_BYTES = MAX_DOCUMENT_BYTES + 1024 * 1024;

/** Automatic versions: while people edit, one at most this often, so history has a
 * point every few minutes without a version per keystroke burst. */
export const VERSION_INTERVAL_MS = 10 * 60_000;

/** Automatic versions are never closer together than this (compaction can run every
 * few seconds under a flood of writes; history and R2 should not follow it). */
export const VERSION_MIN_GAP_MS = 60_000;

/** After the last person leaves, wait this long before writing the R2 snapshot, so a
 * reload or a flaky network does not make a version, and then let the room sleep. */
export const VERSION_IDLE_DELAY_MS = 5_000;

/** When R2 refuses a write, retry after this long, doubling up to the cap. */
export const VERSION_RETRY_MS = 30_000;
export const VERSION_RETRY_MAX_MS = 30 * 60_000;

/** Names people give versions: a short label, like a commit subject. */
export const MAX_VERSION_NAME_CHARS = 100;

/** Named versions are kept forever, so cap them per document: enough for any real
 * use, but an editor link cannot grow R2 without bound. */
export const MAX_NAMED_VERSIONS = 1_000;

/** Automatic versions kept after thinning (see worker/storage/retention.ts); the
 * thinning tiers keep far fewer in practice, this is the hard stop. */
export const MAX_AUTO_VERSIONS = 500;

/** Thinning of automatic versions (named ones are never thinned): every version of
 * the last hour, then the newest per hour for a day, per day for 30 days, per week
 * after that. Recent history is dense where people look; old history stays cheap. */
export const RETAIN_ALL_VERSIONS_MS = 60 * 60_000;
export const RETAIN_HOURLY_VERSIONS_MS = 24 * 60 * 60_000;
export const RETAIN_DAILY_VERSIONS_MS = 30 * 24 * 60 * 60_000;

/** Names recorded per version as "who was editing"; R2 custom metadata is 2 KB. */
export const MAX_VERSION_AUTHORS = 12;

/** Document titles: one line, long enough for any real title. */
export const MAX_TITLE_CHARS = 200;

/** Display names in presence. */
export const MAX_NAME_CHARS = 40;

/** Document ids: 128 random bits in base64url is 22 characters; allow a little room
 * for other id schemes but nothing that could be a path trick. */
export const DOC_ID_MIN_CHARS = 16;
export const DOC_ID_MAX_CHARS = 64;

/** Access tokens: 256 random bits, base64url (43 characters). */
export const TOKEN_BYTES = 32;

/** How long the client waits between "is everything saved?" checks while it has
 * unacknowledged edits. One check covers every update sent before it. */
export const SAVE_CHECK_INTERVAL_MS = 50;
