#pragma once
// Empties the outbox into Odoo: due rows in batches through x_voiceops_call's `load` with
// external IDs (voiceops.call_<id>), so a batch resent after a dropped connection or a timeout
// updates what the first attempt created and never duplicates it. `load` does not raise on bad
// rows, so its `messages` are read: a refused row becomes a dead letter with Odoo's message, the
// rest of its batch goes again at once (a refusal raised for a whole batch is narrowed down by
// sending its rows one by one). A failed batch waits with exponential backoff and jitter;
// after max_attempts a row is dead, for an operator to list and retry. Used by voiceopsd's export
// worker and by `voiceops export odoo`.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <stop_token>
#include <string>

#include "connectors/odoo/odoo_client.hpp"
#include "store/outbox.hpp"

namespace voiceops::ops {

struct ExportPolicy {
  int batch_size = 50;
  int max_attempts = 12;
  std::chrono::seconds first_delay{30};  // after the first failure; doubled after each one
  std::chrono::seconds max_delay{3600};
  int max_batches = 20;  // per run, so the worker looks up (stop, metrics) between runs
};

// Seconds to wait before attempt `attempts + 1`, given `attempts` failed ones: first_delay
// doubled each time up to max_delay, then a random half of it taken off ("equal jitter"), so
// many rows failing together do not come back together. `random01` is in [0, 1).
std::int64_t backoff_seconds(int attempts, const ExportPolicy& policy, double random01);

// What a `load` answered, as the export reads it: ids (one per row) and, for a refusal, the
// error message of each row it names; a refusal naming no row is `unplaced`. nullopt: not an
// answer `load` gives.
struct LoadVerdict {
  std::vector<std::int64_t> ids;
  std::map<std::size_t, std::string> refused;  // row index -> message (with its field)
  std::string unplaced;
};
std::optional<LoadVerdict> read_load_answer(const connectors::odoo::Json& answer, std::size_t rows);
// Whether `load` created or updated every one of `rows` rows: no refusal, a real id for each.
bool all_created(const LoadVerdict& verdict, std::size_t rows);

struct ExportRun {
  int sent = 0;      // rows Odoo took
  int failed = 0;    // rows that will be tried again
  int dead = 0;      // rows given up on
  int requests = 0;  // HTTP requests to Odoo (load and fields_get)
  int batches = 0;
  std::optional<connectors::odoo::Error> error;  // the last failure, when a batch failed
  std::string store_error;                       // when the outbox could not be read or written
};

class OdooExporter {
 public:
  using Random = std::function<double()>;  // [0, 1)
  OdooExporter(store::Outbox& outbox, connectors::odoo::Client& odoo, ExportPolicy policy,
               Random random);

  // Sends every row due at `now`, a batch at a time, until none is left, a batch fails as a
  // whole (Odoo is down: stop, don't hammer it), or max_batches ran.
  // `stop` is looked at between requests (the daemon shutting down).
  ExportRun run(std::int64_t now, std::stop_token stop = {});

  // The fields x_voiceops_call has in Odoo (asked once, and again after a failure).
  std::optional<std::set<std::string, std::less<>>> known_fields() const { return fields_; }

 private:
  // One batch; false when the run should stop.
  bool send_batch(ExportRun& run);
  connectors::odoo::Error fail_batch(const std::vector<store::OutboxItem>& due,
                                     connectors::odoo::Error error, std::int64_t now,
                                     ExportRun& run);
  bool ensure_fields(ExportRun& run);
  bool record_sent(const std::vector<store::OutboxItem>& sending, const LoadVerdict& verdict,
                   std::int64_t now, ExportRun& run);
  std::int64_t lease_seconds() const;
  // The run's clock: its start time, plus the time it has taken since.
  std::int64_t clock_now() const;
  bool send_one_by_one(const std::vector<store::OutboxItem>& sending,
                       const std::vector<std::string>& columns, const connectors::odoo::Json& data,
                       std::int64_t now, ExportRun& run);

  store::Outbox& outbox_;
  connectors::odoo::Client& odoo_;
  ExportPolicy policy_;
  Random random_;
  std::optional<std::set<std::string, std::less<>>> fields_;
  std::chrono::steady_clock::time_point fields_at_;
  std::stop_token stop_;
  std::int64_t run_now_ = 0;
  std::chrono::steady_clock::time_point run_started_;
};

}  // namespace voiceops::ops
