#include "store/schema.hpp"

#include <array>

namespace voiceops::store {
namespace {

// Version 1: calls with their turns and events, the engine state between webhooks, the export
// outbox (written in the same transaction as the call it exports), rollback state and history.
constexpr std::string_view version_1 = R"sql(
CREATE TABLE calls (
  id            TEXT PRIMARY KEY,          -- the carrier's CallSid
  workflow      TEXT NOT NULL,
  caller        TEXT NOT NULL,             -- E.164, unmasked: Odoo looks partners up by it
  called        TEXT NOT NULL,
  started_at    INTEGER NOT NULL,          -- Unix seconds
  updated_at    INTEGER NOT NULL,
  ended_at      INTEGER,
  status        TEXT NOT NULL DEFAULT 'in-progress',
                -- then the carrier's final status (completed, busy, no-answer, failed, canceled)
                -- or 'abandoned' when no final callback came
  duration_s    INTEGER,
  after_hours   INTEGER NOT NULL DEFAULT 0,
  intent        TEXT,
  phase         TEXT NOT NULL,
  outcome       TEXT,                      -- success, failure, escalated, abandoned
  event         TEXT,                      -- the contract's success/failure event
  escalation    TEXT,                      -- trigger of the first escalation row fired
  destination   TEXT,                      -- where the call was transferred
  turns         INTEGER NOT NULL DEFAULT 0,
  spoken_chars  INTEGER NOT NULL DEFAULT 0,
  summary       TEXT NOT NULL DEFAULT '',
  cost          REAL
);
CREATE INDEX calls_by_start ON calls(started_at);
CREATE INDEX calls_in_progress ON calls(updated_at) WHERE status = 'in-progress';

CREATE TABLE sessions (
  call_id     TEXT PRIMARY KEY REFERENCES calls(id),
  state       BLOB NOT NULL,               -- engine::serialize(CallState)
  updated_at  INTEGER NOT NULL
);

CREATE TABLE turns (
  call_id  TEXT NOT NULL REFERENCES calls(id),
  seq      INTEGER NOT NULL,
  at       INTEGER NOT NULL,
  speaker  TEXT NOT NULL,                  -- caller, agent, tool, system
  text     TEXT NOT NULL,
  PRIMARY KEY (call_id, seq)
) WITHOUT ROWID;

CREATE TABLE events (
  id       INTEGER PRIMARY KEY,
  call_id  TEXT NOT NULL REFERENCES calls(id),
  at       INTEGER NOT NULL,
  kind     TEXT NOT NULL,
  detail   TEXT NOT NULL
);
CREATE INDEX events_by_call ON events(call_id, id);

CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL,          -- odoo.call
  call_id          TEXT REFERENCES calls(id),
  created_at       INTEGER NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  last_error       TEXT,
  state            TEXT NOT NULL DEFAULT 'pending',   -- pending, done, dead
  UNIQUE (kind, call_id)
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state = 'pending';

CREATE TABLE rollback_state (
  setting  TEXT PRIMARY KEY,               -- forward_all, after_hours_only, disabled_intent:<id>
  value    TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE rollback_history (
  id      INTEGER PRIMARY KEY,
  at      INTEGER NOT NULL,
  who     TEXT NOT NULL,
  action  TEXT NOT NULL,
  target  TEXT NOT NULL DEFAULT '',
  reason  TEXT NOT NULL
);
)sql";

// The row voiceopsd's readiness check commits, to prove the store takes a write.
constexpr std::string_view version_2 = R"sql(
CREATE TABLE store_probe (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  at INTEGER NOT NULL
);
)sql";

// Rollback by workflow: one document of settings per scope ('' for every workflow), and a history
// that keeps what each change found before it, who made it, how (through the daemon or directly)
// and why. Version 1's tables were never written.
constexpr std::string_view version_3 = R"sql(
DROP TABLE rollback_state;
DROP TABLE rollback_history;
CREATE TABLE rollback_state (
  workflow    TEXT PRIMARY KEY,            -- '' for every workflow
  settings    TEXT NOT NULL,               -- JSON: forward_to, now, after_hours_only, disabled_intents
  changed_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE rollback_history (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,              -- Unix seconds
  who       TEXT NOT NULL,                 -- the Unix user
  via       TEXT NOT NULL,                 -- daemon or direct
  action    TEXT NOT NULL,                 -- forward-all, disable-intent, enable-intent, ...
  argument  TEXT NOT NULL DEFAULT '',      -- the number or intent
  workflow  TEXT NOT NULL DEFAULT '',      -- '' for every workflow
  reason    TEXT NOT NULL,
  before    TEXT NOT NULL,                 -- the scope's settings before the change (JSON)
  after     TEXT NOT NULL
);
)sql";

// Exports: each call's answers (slot name to value, JSON) so `voiceops export calls` and the Odoo
// record carry them without decoding engine state, the Odoo records a call created during the call
// (model to id, JSON) to link its export to, and the outbox's outcome per row.
constexpr std::string_view version_4 = R"sql(
ALTER TABLE calls ADD COLUMN slots TEXT NOT NULL DEFAULT '{}';
ALTER TABLE calls ADD COLUMN records TEXT NOT NULL DEFAULT '{}';
ALTER TABLE outbox ADD COLUMN sent_at INTEGER;
ALTER TABLE outbox ADD COLUMN remote_id INTEGER;
CREATE INDEX outbox_dead ON outbox(created_at) WHERE state = 'dead';
)sql";

// Messages to staff outside the call (texts and emails): written in the turn's transaction that
// decided them, sent once by the message worker (ops/message_sender.hpp), their delivery as the
// carrier reports it. A recipient who opted out (21610) is suppressed until an operator clears it.
constexpr std::string_view version_5 = R"sql(
CREATE TABLE messages (
  id               INTEGER PRIMARY KEY,
  call_id          TEXT REFERENCES calls(id),
  turn             INTEGER NOT NULL DEFAULT 0,     -- the call's turn that decided it
  seq              INTEGER NOT NULL DEFAULT 0,     -- which of that turn's for that destination
  purpose          TEXT NOT NULL,          -- notice (escalation, staff summary), page (in-call), alert
  kind             TEXT NOT NULL,          -- the destination's: phone, sms, queue, voicemail; or email
  destination      TEXT NOT NULL DEFAULT '',       -- the contract's destination id
  address          TEXT NOT NULL,          -- E.164 number, queue name or email address
  sender           TEXT NOT NULL DEFAULT '',       -- the number the call came to (a text's From)
  subject          TEXT NOT NULL DEFAULT '',
  body             TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  state            TEXT NOT NULL DEFAULT 'pending',  -- pending, sent, dead, suppressed, unrouted
  uncertain        INTEGER NOT NULL DEFAULT 0,     -- the last attempt may have sent it: look first
  channel          TEXT,                   -- sms or email, once tried
  recipient        TEXT,                   -- where it went: a number or an email address
  remote_id        TEXT,                   -- the carrier's SM... or Mailgun's message id
  last_error       TEXT,
  sent_at          INTEGER,
  delivery         TEXT,                   -- the carrier's last status: delivered, undelivered, failed
  delivery_code    INTEGER,
  delivery_at      INTEGER,
  UNIQUE (call_id, turn, purpose, destination, seq)
);
CREATE INDEX messages_due ON messages(next_attempt_at) WHERE state = 'pending';
CREATE INDEX messages_by_remote ON messages(remote_id) WHERE remote_id IS NOT NULL;
CREATE TABLE suppressed_recipients (
  recipient  TEXT PRIMARY KEY,             -- E.164 number or email address
  at         INTEGER NOT NULL,
  code       INTEGER NOT NULL DEFAULT 0,   -- 21610: the recipient texted STOP
  reason     TEXT NOT NULL
) WITHOUT ROWID;
)sql";

constexpr std::array<std::string_view, 5> all_migrations = {version_1, version_2, version_3,
                                                            version_4, version_5};

}  // namespace

std::span<const std::string_view> migrations() {
  return all_migrations;
}

}  // namespace voiceops::store
