// How much faster than real time the engine and simulator run the shipped packs: simulated call
// time of every call against the wall time of running them, as a ratio (the aim is above 100,000:
// a turn is microseconds of work), plus per-webhook engine time percentiles.
//   testcalls_speed [ROUNDS] PACK...
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "contract/check.hpp"
#include "contract/directory.hpp"
#include "testcalls/pack.hpp"
#include "testcalls/runner.hpp"

using namespace voiceops;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s ROUNDS PACK...\n", argv[0]);
    return 64;
  }
  const int rounds = std::max(1, std::atoi(argv[1]));
  struct Loaded {
    testcalls::Pack pack;
    contract::CheckedContract contract;
    std::optional<contract::Directory> directory;
  };
  std::vector<std::unique_ptr<Loaded>> packs;
  for (int i = 2; i < argc; ++i) {
    std::vector<Diagnostic> diagnostics;
    auto outcome = testcalls::load_pack(argv[i], diagnostics);
    if (!outcome.pack) {
      std::fprintf(stderr, "%s: not a valid pack\n", argv[i]);
      return 65;
    }
    auto checked = contract::check_contract_file(outcome.pack->contract, false);
    auto loaded =
        std::make_unique<Loaded>(Loaded{std::move(*outcome.pack), std::move(checked), {}});
    if (!loaded->contract.contract) {
      std::fprintf(stderr, "%s: its contract is not valid\n", argv[i]);
      return 65;
    }
    loaded->directory = contract::directory_of(*loaded->contract.contract);
    packs.push_back(std::move(loaded));
  }
  double simulated_s = 0;
  std::vector<double> webhook_us;
  int calls = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r) {
    for (const auto& p : packs) {
      auto report = testcalls::run_pack(p->pack, *p->contract.contract,
                                        p->directory ? &*p->directory : nullptr);
      for (const auto& call : report.calls) {
        simulated_s += call.duration_s;
        webhook_us.insert(webhook_us.end(), call.webhook_microseconds.begin(),
                          call.webhook_microseconds.end());
        ++calls;
      }
    }
  }
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::sort(webhook_us.begin(), webhook_us.end());
  auto pct = [&](double p) {
    return webhook_us.empty() ? 0.0
                              : webhook_us[static_cast<std::size_t>(p * (webhook_us.size() - 1))];
  };
  std::printf("calls run:                 %d (%d rounds)\n", calls, rounds);
  std::printf("simulated call time:       %.0f s\n", simulated_s);
  std::printf("wall time (engine + sim):  %.3f s\n", wall_s);
  std::printf("ratio, simulated / wall:   %.0fx real time (aim: above 100000x)\n",
              simulated_s / wall_s);
  std::printf("engine time per webhook:   p50 %.1f us  p90 %.1f us  p99 %.1f us  max %.1f us\n",
              pct(0.5), pct(0.9), pct(0.99), pct(1.0));
  return 0;
}
