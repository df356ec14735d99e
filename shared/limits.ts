/**
 * Every limit Quire enforces, in one place. Each name carries its unit; each
 * comment says why the number is what it is. Server and client read the same values.
 */

/** A single WebSocket frame. Pastes of whole chapters fit well below this; anything
 * larger is either hostile or a bug, and would stall the room while it is applied. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/** A document's whole encoded state: sized so that any document Quire accepts opens in
 * a Durable Object's 128 MiB isolate. Measured (bench/results/doc-memory/2026-12-07T110344Z-
 * ddbb430.json, summary in bench/results/doc-memory.md): a cold room opened by 30 sockets
 * during a DOCX export costs workerd 34.7 MiB above idle empty, and 75.3 / 124.5 / 169.7
 * MiB more for 1.06 / 2.14 / 4.25 MB of prose state; the empty isolate's heap peaks at
 * 16.6 MiB. (128 − 16.6) × 75% leaves 83.6 MiB, reached at 1.18 MiB of state: rounded
 * down, 1 MiB (about a million characters of text). Past it the update is refused
 * (4413) and its writer told; what is stored stays. */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

/** Yjs structs a document may hold (items, and the tombstones deletions leave). Each
 * costs the room memory whatever its bytes: one writer's scattered one-character
 * edits (120,008 items, 40,000 deleted, 0.89 MB of state) cost 1,228 bytes each at the
 * peak of the same measurement, so 71,365 fill the same 83.6 MiB; rounded down. */
export const MAX_DOCUMENT_ITEMS = 70_000;

/** New Yjs client ids one connection may bring. A browser writes with one per session
 * (a new one per reload), and when it comes back online it replays the offline copy's
 * older sessions of this document, one id each: a person who reloaded the page seven
 * times while offline. Every client id slows every later edit of the document for
 * good (bench/results/wear.md), so past this the update is refused (4507). */
export const MAX_NEW_CLIENT_IDS_PER_CONNECTION = 8;

/** Client ids a document may hold before it takes no new ones from edit links (the
 * owner is never refused; "Rebuild from this version" starts a fresh set). An honest
 * edit's server cost grows with them (bench/results/wear.md); a team that reloads a
 * few times a day takes years to get here. */
export const MAX_CLIENT_IDS_PER_DOCUMENT = 4_000;

/** New client ids a document takes per hour from edit links: a workshop of 200 people
 * each reloading twice fits; a script minting client ids needs most of a day to reach
 * MAX_CLIENT_IDS_PER_DOCUMENT, and the owner sees it coming (GET …/health). */
export const NEW_CLIENT_IDS_PER_HOUR_PER_DOCUMENT = 500;

/** Author names remembered per client id for its suggestion ids: one, or a few if its
 * person renamed themselves mid-session. Bounds the row; a name past it is not
 * remembered, and moving that suggestion's text later is refused. */
export const MAX_SUGGESTION_AUTHORS_PER_CLIENT_ID = 8;

/** One SQLite row of the update log. Cloudflare limits a row (and any string or BLOB)
 * to 2 MB; a row over it fails the append, which must never happen to an update a
 * client was told is saved. Larger updates (a batch, a restore, an import) are split
 * over consecutive rows of at most this size, with room to spare for the row header. */
export const MAX_STORED_ROW_BYTES = 1024 * 1024;

/** Incoming updates applied together as one batch (one transaction, one stored
 * update). Keeps a burst of large pastes from becoming one oversized update: a batch
 * is cut before it would pass this many bytes of input. */
export const MAX_BATCH_BYTES = 512 * 1024;

/** One node or mark attribute's string value (a link, an image address, a code
 * language). Long URLs fit; a megabyte of attribute is junk that every client would
 * have to hold and render. */
export const MAX_ATTRIBUTE_CHARS = 8 * 1024;

/** Updates that depend on changes the room does not have yet (Yjs "pending" structs)
 * are held aside, not applied, until their dependencies arrive. Honest clients send
 * such updates only after a recovery from R2 lost a few seconds of someone else's
 * work; these bound what a client can park: per connection, per document (both also
 * count against MAX_DOCUMENT_BYTES, so each is a fraction of it: a few seconds of
 * typing is kilobytes), and for how long. Past any bound the held update is dropped and
 * its sender told to resync; nothing held is ever acknowledged. */
export const MAX_PENDING_BYTES_PER_CONNECTION = 128 * 1024;
export const MAX_PENDING_BYTES_PER_DOCUMENT = 256 * 1024;
export const MAX_PENDING_MS = 30_000;

/** Custom (JSON) messages are small control messages; a long one is junk. */
export const MAX_CUSTOM_MESSAGE_BYTES = 16 * 1024;

/** Per-connection message budget (token bucket), charged as the DO handles each frame.
 * A person types ~10 updates/s and a paste is one; the refill lets one fast honest
 * writer (a script, a replayed trace) through at the rate Hocuspocus sustains for one
 * writer → 10 readers on the bench (12,000/s; at 5,000/s this budget cut Quire's ramp
 * at 8,000/s). A flood still runs out: the frames a flooder can send without changing
 * the document cost more (empty updates EMPTY_UPDATE_COST_MESSAGES, refused frames
 * REJECTED_FRAME_COST_MESSAGES), because at one token each a no-op flood handled at
 * ~14,000 frames/s never drained a budget this large (e2e/flood.int.test.ts). Real edits
 * at this rate are what a fast writer sends, and MAX_DOCUMENT_BYTES bounds them. */
export const RATE_MESSAGES_PER_SECOND = 16_000;
export const RATE_MESSAGES_BURST = 32_000;
/** An empty update (sync type Update with no structs and no deletions): Yjs never emits
 * one, so only a flood sends them; each costs this many messages of the budget above. */
export const EMPTY_UPDATE_COST_MESSAGES = 10;
/** A frame answered with an error costs this many messages of that budget: honest
 * clients send none (the fuzz test checks it), and a flood of junk, which costs the DO
 * an error reply per frame, is then closed within a few thousand frames. */
export const REJECTED_FRAME_COST_MESSAGES = 10;

/** Awareness (caret/presence) updates per connection. A caret moves with every key or
 * click (tens per second while typing fast); past the budget only the latest state is
 * kept and applied at the next presence flush, so nothing is lost, only merged. */
export const RATE_AWARENESS_PER_SECOND = 30;
export const RATE_AWARENESS_BURST = 60;
/** The same in bytes: a real state (name, colour, caret, activity) is ~300 bytes, so
 * 30 a second is ~9 KB/s; a client sending 8 KB states 30 times a second would push
 * that to every peer. Over it, states are merged as above. */
export const RATE_AWARENESS_BYTES_PER_SECOND = 16 * 1024;
export const RATE_AWARENESS_BYTES_BURST = 32 * 1024;
/** One presence state, as JSON. Real ones are ~300 characters; this leaves room for
 * long names and deep carets while keeping junk out of every peer's memory. */
export const MAX_PRESENCE_STATE_CHARS = 2 * 1024;

/** "Is everything saved?" checks per connection: the editor sends at most one per
 * SAVE_CHECK_INTERVAL_MS while it has unsaved edits (20/s). Each costs the room an answer
 * (after the batch holding the sender's updates), so a flood of them (320,000 in 10 s went
 * unclosed under the general message budget) is closed with 4429 past this budget. */
export const RATE_SYNC_CHECKS_PER_SECOND = 40;
export const RATE_SYNC_CHECKS_BURST = 200;

/** Sockets one document accepts. Every broadcast is one send per socket, so a room's
 * cost grows with it; 100 typing clients measured fine (load test), 200 leaves room
 * for a lecture-sized audience. Viewers may take at most MAX_VIEWER_CONNECTIONS_PER_
 * DOCUMENT of them, so a crowd of view links can never lock editors out. Past either,
 * the socket is closed with 4503 and the client retries later. */
export const MAX_CONNECTIONS_PER_DOCUMENT = 200;
export const MAX_VIEWER_CONNECTIONS_PER_DOCUMENT = 150;

/** Presence changes are broadcast at most this often, merged into one message per
 * peer: caret moves from N people would otherwise cost N² sends. 40 ms is below what
 * a reader notices in a moving caret. */
export const AWARENESS_FLUSH_MS = 40;

/** Read checks: after this many bytes of broadcast to a connection the server asks it
 * to echo a random id; the echo proves it has read everything sent before. One check
 * per 256 KiB costs ~80 bytes (0.03 %). */
export const READ_CHECK_EVERY_BYTES = 256 * 1024;

/** A connection more than this many broadcast bytes behind its last echoed read check
 * is dropped (4408) and must resync: workerd gives a Durable Object no view of a
 * socket's send buffer, so without this a reader that never drains would make the
 * server queue every later update for it. 8 MiB is ~13 s of the heaviest benchmark
 * room (600 KB/s per reader); a reconnect's one-message resync is cheaper than that. */
export const MAX_UNREAD_BYTES = 8 * 1024 * 1024;

/** Updates waiting to be applied as one batch. Bigger batches amortise the durable
 * commit further but delay the first reader; 256 was the cap when batching took a room
 * from ~1,100 to ~34,700 updates/s (docs/BENCHMARKS.md, "Measured before the bench"). */
export const MAX_BATCH_UPDATES = 256;

/** Updates applied at once in each event-loop tick before batching starts: a lone
 * edit goes out immediately instead of waiting ~1 ms for a setTimeout(0). */
export const DIRECT_UPDATES_PER_TICK = 2;

/** Compaction: fold the update log into a snapshot past either threshold, so a cold
 * load replays at most this much. Replaying a row costs about what compaction costs
 * per row for a large document (~0.07 ms each, measured on the automerge-paper
 * trace), so 1,000 rows balances the two; an idle room is compacted entirely. In
 * bytes, a quarter of MAX_DOCUMENT_BYTES: a fold costs at most a whole document. */
export const COMPACT_LOG_ENTRIES = 1_000;
export const COMPACT_LOG_BYTES = 256 * 1024;
/** When the last person leaves, a log of at least this many rows is folded at once
 * rather than at the idle alarm: the room's next cold load then applies one snapshot
 * (replaying the 728-row tail of the automerge-paper bench took ~25 of ~90 ms of a
 * cold load). Smaller logs cost little to replay and are left to the alarm, so a tab
 * reloaded after one keystroke does not rewrite a big snapshot. */
export const FOLD_ON_LEAVE_LOG_ENTRIES = 64;

/** Stored values are split into chunks well under SQLite's 2 MB row limit. */
export const STORAGE_CHUNK_BYTES = 512 * 1024;

/** A stored snapshot that inflates past this is corrupt or hostile, so decompressing
 * stops instead of exhausting memory. Twice the document limit of before issue 22
 * (32 MiB), not today's: documents that grew past a limit (one of 36.9 MB is known,
 * and any document accepted under the old one) must still load, read-only, so their
 * owner can export, restore an earlier version or delete them. */
export const MAX_SNAPSHOT_INFLATED_BYTES = 64 * 1024 * 1024;

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
/** The name a socket gives (`?name=`), recorded as the author of the client ids it
 * introduces: as long as a caret label can show. */
export const MAX_AUTHOR_NAME_CHARS = 64;
/** A socket's author key (`?authorKey=`, the browser's secret comments already use):
 * 16 characters is ~96 random bits at the least; 128 leaves room for other clients. */
export const MIN_AUTHOR_KEY_CHARS = 16;
export const MAX_AUTHOR_KEY_CHARS = 128;

export const MAX_VERSION_NAME_CHARS = 100;

/** Named versions are kept until the owner deletes them, so cap them per document:
 * enough for any real use, but an editor link cannot grow R2 without bound. */
export const MAX_NAMED_VERSIONS = 1_000;

/** Of MAX_NAMED_VERSIONS, the slots only the owner may fill: other links are refused
 * (409) once the rest are taken, so an edit link that names versions in a loop can never
 * stop the owner from naming one (the owner then deletes what it does not want). */
export const NAMED_VERSIONS_OWNER_RESERVE = 100;

/** Restores (and rebuilds) per link per minute, also the burst: each reads a version
 * from R2 and may write a checkpoint of the whole document, and an edit link restored two
 * versions back and forth 520 times in ~5 s. All holders of one link share its budget;
 * the owner link has its own, so nobody else's use can lock the owner out. */
export const RESTORES_PER_MINUTE_PER_LINK = 6;

/** Named versions per link per minute, also the burst: each is a full snapshot in R2, and
 * an edit link named 1,000 in ~5 s. Shared and separate per link as restores are. */
export const VERSION_NAMES_PER_MINUTE_PER_LINK = 6;

/** Version compares per link per minute, also the burst: each reads up to two whole
 * snapshots and merges them into one document (tens to hundreds of ms of the room's
 * time for a large document), so a link cannot keep the room busy with them. Enough
 * for someone clicking through the history list. Shared and separate per link as
 * restores are. */
export const COMPARES_PER_MINUTE_PER_LINK = 30;

/** Authorship answers (GET /authorship) per link per minute, also the burst: each walks
 * the whole document and answers ~2× its text (2 MB and ~20 ms for 1 MB of text,
 * bench/results/authorship), so a link cannot keep the room busy with them. The Authors
 * view asks once when turned on and once per pause in typing; a 429 keeps its colours. */
export const AUTHORSHIP_READS_PER_MINUTE_PER_LINK = 120;

/** Ranges of deleted text whose deleter a document remembers (worker/room/deleters.ts),
 * one SQLite row each (~40 bytes); contiguous deletions by one person share a row, so
 * this is thousands of separate deletions. Past it the oldest are forgotten and compare
 * shows those deletions without an author. */
export const MAX_DELETION_RECORDS = 20_000;

/** Checkpoints (the state before a restore) any one hour may add, counting everyone's;
 * past it, restores from links other than the owner's answer 429 until the oldest is an
 * hour old. With the per-link rate and the thinning of checkpoints among themselves,
 * this bounds what a storm of restores can store, and it never displaces other versions. */
export const RESTORE_CHECKPOINTS_PER_HOUR = 60;

/** Automatic versions kept per pool (scheduled, checkpoints; retention.ts) after
 * thinning. Only versions older than RETAIN_DAILY_VERSIONS_MS (the weekly ones, oldest
 * first) ever go for it: the younger tiers hold a few hundred at most, so no burst of
 * recent versions can reach the cap and push old ones out. */
export const MAX_AUTO_VERSIONS = 500;

/** Thinning of automatic versions (named ones are never thinned), in each pool apart:
 * every version of the last hour, then the first and last of each clock hour for a day,
 * of each day for 30 days, of each week after that. Recent history is dense where people
 * look; old history stays cheap; the first of a period is never displaced by anything
 * made after it. */
export const RETAIN_ALL_VERSIONS_MS = 60 * 60_000;
export const RETAIN_HOURLY_VERSIONS_MS = 24 * 60 * 60_000;
export const RETAIN_DAILY_VERSIONS_MS = 30 * 24 * 60 * 60_000;

/** Names recorded per version as "who was editing"; R2 custom metadata is 2 KB. */
export const MAX_VERSION_AUTHORS = 12;

/** Document titles: one line, long enough for any real title. */
export const MAX_TITLE_CHARS = 200;

/** Markdown imported through the API (new document or PUT .../content). It is parsed in
 * pieces with pauses between them (MARKDOWN_PIECE_CHARS), then applied as one Yjs
 * transaction, which holds the isolate while it runs: 128 KiB (~20,000 words) of
 * list-heavy text takes ~0.4 s to parse in all and ~50 ms to apply, and its Yjs update
 * (~680 KB) stays below MAX_MESSAGE_BYTES for the peers it is broadcast to. (128 KiB of
 * one-character blocks, 32,768 of them, is the exception: ~0.4 s to apply, a 1.9 MB
 * update.) */
export const MAX_IMPORT_MARKDOWN_BYTES = 128 * 1024;

/** Imported blocks written per step (one transaction each, with a pause between):
 * ~12 µs per block measured, so a step holds the isolate ~3 ms; a 128 KiB import of
 * one-character paragraphs (32,768 blocks) took ~0.4 s as one transaction. */
export const IMPORT_BLOCKS_PER_STEP = 256;

/** JSON bodies that carry Markdown: escapes (\n, \") can double a string's length
 * in JSON, so the body may be twice the Markdown limit; the Markdown itself is still
 * checked against MAX_IMPORT_MARKDOWN_BYTES after parsing the JSON. */
export const MAX_IMPORT_BODY_BYTES = 2 * MAX_IMPORT_MARKDOWN_BYTES + 4096;

/** JSON bodies that carry no Markdown (a rename, link switches, a version name, restore
 * options): a few hundred bytes in practice; the cap only bounds what is read. */
export const MAX_API_BODY_BYTES = 64 * 1024;

/** A refused request body (too large, or sent with a wrong token) is read and dropped,
 * unkept, up to this much more before the answer, and cut off past it. workerd fails
 * the next request on a connection whose last request body was left unread (measured
 * under wrangler dev: every request after a cut body answered 500 "Network connection
 * lost"; workerd#1741), so a body only a little too large costs a little reading instead;
 * a huge one is still cut at once. */
export const REFUSED_BODY_DRAIN_BYTES = 1024 * 1024;

/** Exports (every format, and reading a version as one) read and write a document this
 * much content at a time, with a pause between pieces, so a large document's export
 * never holds the isolate for long: a 16 MB DOCX export in one go held everyone's edits
 * for ~675 ms (6.5 s on a loaded 2-core machine); in pieces of this size, most steps took
 * a few ms and the longest ~30–80 ms there, apart from garbage collection (observed;
 * e2e/export-budget.int.test.ts measures the round trip of another document's edits).
 * Whole top-level blocks, so a single larger block is done in one step. */
export const EXPORT_PIECE_CHARS = 64 * 1024;

/** New documents per client address (an IPv6 /64) per minute, also the burst: a person
 * makes a few a minute at most, an import script a few dozen, while one address
 * made 200 in 7 s before this limit (each one a Durable Object and R2 objects kept
 * until deleted). The `CREATE_DOCS_PER_MINUTE` var overrides it (wrangler.toml). */
export const CREATE_DOCS_PER_MINUTE = 30;

/** How often a document's `updated_at` is rewritten while people type. Every accepted
 * update could write it, but once a second is all the document list needs and saves a
 * row write per keystroke. */
export const UPDATED_AT_RESOLUTION_MS = 1_000;

/** After a delete, one more sweep of the document's R2 prefix this much later: a
 * snapshot upload already in flight when the delete began can land after the first
 * sweep, and must not outlive the document. */
export const DELETE_FINAL_SWEEP_DELAY_MS = 30_000;

/** Retrying an unfinished delete (R2 unavailable, crash mid-delete) from an alarm:
 * soon enough that the data is gone within minutes, rare enough not to hammer R2. */
export const DELETE_RETRY_DELAY_MS = 60_000;

/** Display names in presence. */
export const MAX_NAME_CHARS = 40;

/** Document ids: 128 random bits in base64url is 22 characters; allow a little room
 * for other id schemes but nothing that could be a path trick. */
export const DOC_ID_MIN_CHARS = 16;
export const DOC_ID_MAX_CHARS = 64;

/** Access tokens: 256 random bits, base64url (43 characters). */
export const TOKEN_BYTES = 32;

/** How long the page waits for the server to confirm a token from a link before it
 * opens with what it has (the token stays unconfirmed and is checked again later):
 * long enough for a slow network, short enough that a hung one does not keep the
 * page on "Opening document…". */
export const TOKEN_CHECK_TIMEOUT_MS = 5_000;

/** How long the client waits between "is everything saved?" checks while it has
 * unacknowledged edits. One check covers every update sent before it. */
export const SAVE_CHECK_INTERVAL_MS = 50;

// ---------------------------------------------------------------- AI assist

/** Characters of selected text sent to the model. ~3k tokens: enough for several
 * pages, while keeping cost, latency and the provider's context window in check. */
export const AI_MAX_SELECTION_CHARS = 12_000;

/** Characters before the caret given as context to Continue writing: enough for the
 * model to pick up voice and topic, small enough to stay cheap. */
export const AI_CONTINUE_CONTEXT_CHARS = 4_000;

/** Tokens the model may write per answer (~1,500 words): a "Make longer" of a
 * long selection fits; a runaway answer is cut off instead of billing on. */
export const AI_MAX_OUTPUT_TOKENS = 2_048;

/** Free-text "Ask AI…" instructions: a sentence or two, not a second document. */
export const AI_MAX_INSTRUCTION_CHARS = 500;

/** Request ids are short client-made tokens; anything longer is junk. */
export const AI_REQUEST_ID_MAX_CHARS = 64;

/** Requests per person per minute (a socket for assist; for @AI in a thread, the
 * comment's author key, else its socket, else its link): a person clicking Retry a few
 * times is fine; a script looping on one socket is not. Every request costs real money
 * upstream. (worker/ai/gate.ts applies every AI limit, for every AI path.) */
export const AI_REQUESTS_PER_MINUTE_PER_CONNECTION = 10;

/** Requests per document per minute across all its connections: caps the spend one
 * shared link can cause, while a busy room of ~6 people still gets answers. */
export const AI_REQUESTS_PER_MINUTE_PER_DOCUMENT = 60;

/** Model calls streaming at once in one document. Each holds an upstream connection
 * and keeps the Durable Object awake; more than this is a burst worth refusing. */
export const AI_MAX_CONCURRENT_PER_DOCUMENT = 4;

/** A link's share of the document's AI budget, per minute and at once. Author keys and
 * sockets cost nothing to make, so one link holder (a leaked comment link posting @AI
 * under fresh names) could otherwise spend everyone's; below the document's figures, a
 * flooding link always leaves the other links a slot and a third of the minute. */
export const AI_REQUESTS_PER_MINUTE_PER_LINK = 40;
export const AI_MAX_CONCURRENT_PER_LINK = 3;

/** How long the retry-after is when the concurrency cap is hit: answers usually
 * finish within a few seconds. */
export const AI_BUSY_RETRY_AFTER_MS = 3_000;

/** Streamed text is sent at most once per this interval (the first piece at once),
 * so a fast model does not turn into hundreds of tiny WebSocket messages. */
export const AI_DELTA_INTERVAL_MS = 50;

/** Characters per delta message: keeps every message far below MAX_CUSTOM_MESSAGE_BYTES
 * (JSON escaping can double a string's length). */
export const AI_MAX_DELTA_CHARS = 4_000;

/** Waiting for the model's first token. Past this the provider is treated as down, so
 * a hung upstream cannot keep a request (and the Durable Object) alive forever. */
export const AI_FIRST_TOKEN_TIMEOUT_MS = 30_000;

/** A whole answer. Generous: 2k tokens at a slow 20 tokens/s is ~100 s. */
export const AI_TOTAL_TIMEOUT_MS = 180_000;

/** AI calls the owner's activity list keeps per document (oldest dropped): every
 * link holder can make calls, so the record must not grow without end; 500 is weeks of
 * a team's use, and a few hundred KB of rows. */
export const AI_ACTIVITY_MAX_CALLS = 500;

/** Characters of an assist answer kept with its call (for attributing accepted text
 * to the AI): AI_MAX_OUTPUT_TOKENS at up to 8 characters a token; past it the answer
 * is cut. */
export const AI_ACTIVITY_ANSWER_MAX_CHARS = 16_384;

/** Calls whose answer text is kept (the newest): an answer is claimed right after it
 * is accepted, so older ones lose their text, keeping the table to a few MB at worst
 * (100 × AI_ACTIVITY_ANSWER_MAX_CHARS × 3 bytes). */
export const AI_ACTIVITY_MAX_ANSWERS = 100;

// ---------------------------------------------------------------- content and Markdown

/** How deep content may nest (blocks in blocks: quotes, lists, table cells), counted in
 * elements from the top-level block down. Real documents stay under ~10; past this,
 * recursive renderers and exports risk stack overflows (a quote nested 20,000 deep
 * broke every export). Updates that would nest deeper are refused by the server;
 * content deeper than this (stored before, or imported) is flattened when read. */
export const MAX_CONTENT_DEPTH = 64;

/** Markdown imports are parsed in pieces of about this size (cut between blocks, list
 * items, table rows or quote paragraphs, and joined again), with a pause between pieces
 * (worker/content/markdown.ts), so one import never holds the isolate (shared by every
 * document it hosts) for long. Tiptap's parser is superlinear in the blocks of what it
 * parses; a 4 KiB piece of the densest block input measured ≤ 15 ms of block work.
 *
 * Worst cases measured with all the caps below (2-core development machine, 128 KiB
 * inputs, worker/content/markdown-budget.unit.test.ts): the longest stretch between
 * pauses was 55 ms for "*a _" repeated on one line (the whole import 70 ms; 137 ms end
 * to end through wrangler dev; it took 20 s for 32 KiB before), 30–60 ms for the other
 * hostile shapes (other delimiters, autolinks, one list item of 43,000 lines, 20,000
 * levels of "- ", headings, tables of "*a _" cells), up to 80 ms for 32,768 "---" lines
 * while the machine was busy. While they ran, another document's edits still
 * round-tripped in ≤ 55 ms (e2e/import-budget.int.test.ts). */
export const MARKDOWN_PIECE_CHARS = 4 * 1024;
/** A piece is also cut after this many lines: block-dense input (one-character
 * paragraphs, 1,365 blocks in 4 KiB) cost 30–70 ms per 4 KiB piece warm and 171 ms
 * cold, and held another document's edit for 0.9 s under load; 256 lines is at most
 * 256 blocks per turn. */
export const MARKDOWN_PIECE_MAX_LINES = 256;

/** Characters of one line read as Markdown syntax; the rest of that line is kept as
 * plain text. No real line is this long; one-line constructs (a table row with
 * thousands of cells, a run of link syntax) cost more the longer the line. */
export const MARKDOWN_MAX_LINE_CHARS = 16 * 1024;

/** Characters of indentation and container markers (`>`, list bullets) read at the
 * start of one line, i.e. ~16 levels of nesting; the rest of the line is kept as
 * text. marked and Tiptap recurse per level (1,000 levels of "- " overflow the stack,
 * 5,000 took 1.6 s first) and a deep line costs more per level. Content deeper than
 * MAX_CONTENT_DEPTH is flattened afterwards anyway. */
export const MARKDOWN_MAX_LINE_PREFIX_CHARS = 32;

/** Lines of one list item read as Markdown; the rest of the item is kept as plain text.
 * marked's list tokenizer rescans an item for each of its lines: one item of 43,000
 * short lines took 26 s; 1,000 lines take ~10–20 ms. */
export const MARKDOWN_MAX_LIST_ITEM_LINES = 1_000;

/** Inline Markdown work allowed per piece, in character pairs: the parser's cost for an
 * inline run (a paragraph, heading, list item or cell) grows with its length times the
 * delimiters in it (every unmatched `*`, `_` or `~`, and every autolink trigger `:`,
 * `@` or `www.`, scans the rest of the run; `[`, `<`, `` ` ``, `!` and `\` cost about
 * an eighth of that). Past the budget, the rest of the run and of the piece is kept as
 * plain text, not parsed. "*a _" on one line took 40–60 ms for 1 KiB, 0.4–0.6 s for
 * 4 KiB and 20 s for 32 KiB without it; with it, ~25 ms at most per piece. A 4 KiB
 * paragraph with 40 emphasis delimiters and 60 other marks fits inside it. */
export const MARKDOWN_INLINE_BUDGET_CHAR_PAIRS = 256 * 1024;

// ---------------------------------------------------------------- files and exports

/** One uploaded image. A phone photo is 2–6 MB and a full-screen PNG screenshot of a
 * 5K display ~8 MB; past this it is a video or an archive, not a picture for a
 * document. The Durable Object holds an upload in memory while it checks and stores
 * it, and stops reading (413) as soon as a body passes this. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Uploads in flight at once in one document: each holds up to MAX_FILE_BYTES in the
 * Durable Object's isolate (128 MB, shared with the live document), so a burst of
 * pastes is queued by the client rather than buffered here. */
export const MAX_CONCURRENT_UPLOADS_PER_DOCUMENT = 3;

/** Uploads the editor runs at once; below the server's cap, so pasting many images
 * queues them instead of collecting 429s. */
export const CLIENT_UPLOAD_CONCURRENCY = 2;

/** Files one document may hold. More images than any real document has, and few
 * enough that the quota check and the sweep read them in one R2 list page (1,000). */
export const MAX_FILES_PER_DOCUMENT = 1_000;

/** Bytes of files one document may hold: bounds the R2 storage an edit link can
 * cost (~100 full-size uploads; real documents hold far less). */
export const MAX_FILE_BYTES_PER_DOCUMENT = 1024 * 1024 * 1024;

/** A file that neither the document nor any kept version references is deleted only
 * after it was first seen unreferenced at least this long ago (two sweeps this far
 * apart). It covers an image node still waiting on an offline device, an undo of a
 * removed image, and a version being written while a sweep runs. */
export const FILE_ORPHAN_GRACE_MS = 24 * 60 * 60_000;

/** Version state one sweep may read to learn which files versions reference. Each
 * version is read once in its life (the answer is kept), so a sweep after a burst of
 * new versions stays one bounded piece of work; the rest waits for the next sweep,
 * and files whose versions were not read yet are kept meanwhile. */
export const MAX_SWEEP_VERSION_SCAN_BYTES = 16 * 1024 * 1024;

/** Served files never change (a new upload gets a new id), so browsers keep them for
 * a year. Private: the URL carries a key, and shared caches must not outlive a reset. */
export const FILE_CACHE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/** Image bytes embedded in one DOCX export. The whole .docx is built in memory in the
 * Durable Object; past this, further images become links to their address. */
export const MAX_DOCX_IMAGE_BYTES = 32 * 1024 * 1024;

/** Widest an image is placed in a DOCX: the text width of a Letter/A4 page with 1"
 * margins (6.5 in) at 96 px per inch. */
export const DOCX_MAX_IMAGE_WIDTH_PX = 624;

/** A version can only mention files uploaded before it was made, so a sweep reads only
 * versions made after an unused file's upload, less this margin for the clocks of the
 * machines a Durable Object has run on (synchronised far better than this). */
export const FILE_SWEEP_CLOCK_MARGIN_MS = 60_000;

/** One comment's text. Comments are remarks, not chapters: 10,000 characters is a
 * long page (and the longest answer @AI posts). */
export const MAX_COMMENT_BODY_CHARS = 10_000;

/** Every thread of a document together: comment texts, author names and quotes in
 * UTF-8, plus COMMENT_ROW_BYTES per comment and per thread. A comment link once posted
 * 2,000 comments of 10,000 characters in 5–7 s (the old caps allowed ~1 GB; a Durable
 * Object has 128 MB). 2 MiB is ~7,000 comments of a long sentence, far past any real
 * review, and stays a small fraction of the isolate even when all of it is read at
 * once (the R2 copy, a recovery). */
export const MAX_COMMENT_BYTES_PER_DOCUMENT = 2 * 1024 * 1024;

/** What each comment and thread is charged beyond its text (ids, times, the row), so a
 * flood of one-character comments is bounded by the byte total too. */
export const COMMENT_ROW_BYTES = 200;

/** Threads one document keeps (open, resolved and detached together). Every list
 * walks the document once to find the anchors; 500 is far past any real review. */
export const MAX_THREADS_PER_DOCUMENT = 500;

/** Comments in one thread. A discussion past 200 replies belongs in a new thread. */
export const MAX_COMMENTS_PER_THREAD = 200;

/** The owner's reserve in each total above: other links stop this far below the caps,
 * so a document a link holder filled never locks its owner out (the owner can still
 * comment, and delete what others added to free room). */
export const OWNER_RESERVE_COMMENT_BYTES = 256 * 1024;
export const OWNER_RESERVE_THREADS = 50;
export const OWNER_RESERVE_COMMENTS_PER_THREAD = 10;

/** Comment writes (new threads, replies, edits, resolve/reopen) per link per minute,
 * shared by everyone holding that link. A review of several people posts a few a
 * minute; a script posted hundreds a second. Deleting is not limited: it only frees. */
export const COMMENT_WRITES_PER_MINUTE_PER_LINK = 60;

/** One answer of GET …/threads or GET …/threads/<t> (a page): threads or comments are
 * added until the next would pass this, so every answer stays small whatever the
 * document holds (it was 19.3 MiB after the 2,000-comment flood, re-read by every
 * client on every change). At least one item is always sent (≤ ~100 KB). */
export const THREADS_PAGE_BYTES = 128 * 1024;
/** Threads in one page, however small they are. */
export const MAX_THREADS_PER_PAGE = 100;

/** Comments a thread's summary in a list carries: the first and the newest ones; the
 * rest are read with GET …/threads/<t> when someone opens the thread. */
export const THREAD_SUMMARY_COMMENTS = 3;

/** Deleted threads remembered for `GET …/threads?since=`, so a client that was away
 * learns which to drop. Past this the oldest are forgotten, and a client asking since
 * before them is told to start over. */
export const MAX_THREAD_TOMBSTONES = 1_000;

/** The text a thread anchors to, as sent to POST …/threads and as remembered for a
 * detached thread. A sentence or a paragraph; longer selections keep their first part. */
export const MAX_QUOTE_CHARS = 2_000;

/** The author name shown beside a comment (a person's name, or "AI"). */
export const MAX_AUTHOR_CHARS = 80;
