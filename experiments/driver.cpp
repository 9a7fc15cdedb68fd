#include "experiments/driver.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "experiments/full_results.hpp"
#include "experiments/summary.hpp"
#include "failure_models/facility.hpp"
#include "sim/mpi.hpp"
#include "sim/runner.hpp"

namespace ridethrough::experiments {

namespace {

/// A progress bar with ETA on stderr, shown only once a run has lasted a second.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled && isatty(2)) {}
  ~ProgressBar() {
    if (shown_) std::fprintf(stderr, "\r%60s\r", "");
  }
  void update(std::uint64_t done, std::uint64_t total) {
    if (!enabled_) return;
    const double elapsed = seconds();
    if (elapsed < 1.0 || elapsed - last_ < 0.2) return;
    last_ = elapsed;
    shown_ = true;
    const double frac = total ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
    const int width = 30, filled = static_cast<int>(frac * width);
    const double eta = frac > 0 ? elapsed * (1.0 - frac) / frac : 0.0;
    std::fprintf(stderr, "\r[%.*s%*s] %5.1f%%  ETA %6.1fs", filled,
                 "##############################", width - filled, "", 100.0 * frac, eta);
    std::fflush(stderr);
  }

 private:
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  bool enabled_;
  bool shown_ = false;
  double last_ = 0.0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

Performance measured(std::chrono::steady_clock::time_point start, unsigned threads) {
  Performance p;
  p.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  p.threads = threads;
  p.ranks = sim::mpi_ranks().size;
  return p;
}

struct Worker {
  Worker(const topology::Model& m, bool full) : sim(m) { sim.set_record_load_blame(full); }
  failure_models::FacilitySim sim;
  failure_models::ReplicationResult result;
};

}  // namespace

std::string design_label(const topology::Design& design) {
  if (!design.name.empty()) return design.name;
  const auto slash = design.path.find_last_of('/');
  return slash == std::string::npos ? design.path : design.path.substr(slash + 1);
}

namespace {

/// Importance sampling: block b holds cycles [first, last): biased cycle i and plain cycle i
/// each from their own stream, so a cycle is a pure function of (seed, i).
struct CycleBlock : sim::BlockResult {
  failure_models::CycleStats stats;
};

nlohmann::json run_importance(const topology::Design& design, const topology::Model& model,
                              const RunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const sim::Ranks& ranks = sim::mpi_ranks();
  const int targets = model.n_loads + 1;
  failure_models::CycleStats total;
  total.resize(targets, model.n);
  ProgressBar bar(options.progress && ranks.root());
  sim::BlockPlan plan{options.replications, 64};
  const unsigned threads = options.threads ? options.threads : sim::default_threads();
  auto make_work = [&]() -> sim::BlockWork {
    auto sim = std::make_shared<failure_models::RegenerativeSim>(model, options.bias);
    auto obs = std::make_shared<failure_models::CycleObservation>();
    return [sim, obs, &options, targets, &model](std::uint64_t first, std::uint64_t last) {
      auto block = std::make_unique<CycleBlock>();
      block->stats.resize(targets, model.n);
      for (std::uint64_t i = first; i < last; ++i) {
        sim::Rng biased(sim::stream_key(options.seed, i, 0)),
            plain(sim::stream_key(options.seed, i, 1));
        sim->cycle(biased, true, *obs);
        block->stats.add_biased(*obs);
        sim->cycle(plain, false, *obs);
        block->stats.add_plain(*obs);
      }
      return std::unique_ptr<sim::BlockResult>(std::move(block));
    };
  };
  sim::BlockCodec codec{[](const sim::BlockResult& r, sim::Archive& a) {
                          static_cast<const CycleBlock&>(r).stats.save(a);
                        },
                        [&](sim::Archive& a) {
                          auto block = std::make_unique<CycleBlock>();
                          block->stats.resize(targets, model.n);
                          block->stats.load(a);
                          return std::unique_ptr<sim::BlockResult>(std::move(block));
                        }};
  auto merge = [&](std::uint64_t, std::unique_ptr<sim::BlockResult> r) {
    total.merge(static_cast<const CycleBlock&>(*r).stats);
    return !reached_target(total.down[0], total.length, options.target_rel_error);
  };
  sim::run_blocks_distributed(plan, threads, make_work, merge, codec,
                              [&](std::uint64_t done, std::uint64_t n) { bar.update(done, n); });
  const Performance perf = measured(start, threads);
  return summarize_importance(total, model, design_label(design), options.seed, options.bias, perf);
}

}  // namespace

namespace {
/// The stopping rule is looked at only after 64, 128, 256, ... blocks: every look at a skewed
/// estimate is a chance to stop on a low one, so few looks keep that bias small.
bool checkpoint(std::uint64_t replications) {
  const std::uint64_t blocks = replications / 64;
  return replications % 64 == 0 && blocks >= 64 && (blocks & (blocks - 1)) == 0;
}
}  // namespace

bool reached_target(const sim::Moments& down, const sim::Moments& length, double target) {
  if (target <= 0 || !checkpoint(down.count()) || down.mean() <= 0) return false;
  const double mz = down.mean(), mt = length.mean();
  const double vz = down.variance() / static_cast<double>(down.count());
  const double vt = length.count() ? length.variance() / static_cast<double>(length.count()) : 0.0;
  const double rel = std::sqrt(vz / (mz * mz) + vt / (mt * mt));  // relative sd of the ratio
  return 1.96 * rel < target;
}

nlohmann::json run_design(const topology::Design& design, const topology::Model& model,
                          const RunOptions& options) {
  if (options.importance_sampling) return run_importance(design, model, options);
  const auto start = std::chrono::steady_clock::now();
  Accumulator total(model);
  ProgressBar bar(options.progress && sim::mpi_ranks().root());
  sim::BlockPlan plan{options.replications, 64};
  const unsigned threads = options.threads ? options.threads : sim::default_threads();

  const sim::Ranks& ranks = sim::mpi_ranks();
  const bool full = !options.out.empty();
  std::unique_ptr<Hdf5Writer> writer;
  if (full && ranks.root()) {
    nlohmann::json o = {{"seed", options.seed},
                        {"replications", options.replications},
                        {"threads", options.threads},
                        {"command_line", options.command_line}};
    writer = std::make_unique<Hdf5Writer>(options.out, design, model, o);
  }

  auto make_work = [&]() -> sim::BlockWork {
    auto worker = std::make_shared<Worker>(model, full);
    return [worker, &model, full, &options](std::uint64_t first, std::uint64_t last) {
      auto acc = std::make_unique<Accumulator>(model, full);
      for (std::uint64_t i = first; i < last; ++i) {
        worker->sim.run(options.seed, i, worker->result);
        acc->add(worker->result, model);
      }
      return std::unique_ptr<sim::BlockResult>(std::move(acc));
    };
  };
  sim::BlockCodec codec{[](const sim::BlockResult& r, sim::Archive& a) {
                          static_cast<const Accumulator&>(r).save(a);
                        },
                        [&](sim::Archive& a) {
                          auto acc = std::make_unique<Accumulator>(model, full);
                          acc->load(a);
                          return std::unique_ptr<sim::BlockResult>(std::move(acc));
                        }};
  auto merge = [&](std::uint64_t, std::unique_ptr<sim::BlockResult> r) {
    const auto& acc = static_cast<const Accumulator&>(*r);
    total.merge(acc);
    if (writer) writer->append(*acc.rows);
    const auto& d = total.facility.downtime;
    return !(options.target_rel_error > 0 && checkpoint(d.count()) && d.mean() > 0 &&
             d.ci95_half_width() < options.target_rel_error * d.mean());
  };
  sim::run_blocks_distributed(plan, threads, make_work, merge, codec,
                              [&](std::uint64_t done, std::uint64_t n) { bar.update(done, n); });
  const Performance perf = measured(start, threads);
  auto summary = summarize(total, model, design_label(design), options.seed,
                           total.facility.downtime.count(), perf);
  if (writer) writer->finish(summary);
  return summary;
}

}  // namespace ridethrough::experiments
