#include "experiments/driver.hpp"
#include "experiments/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>

#include "experiments/full_results.hpp"
#include "experiments/summary.hpp"
#include "failure_models/facility.hpp"
#include "sim/mpi.hpp"
#include "sim/runner.hpp"
#include "topology/flow.hpp"

namespace ridethrough::experiments {

namespace {

Performance measured(std::chrono::steady_clock::time_point start, unsigned threads) {
  Performance p;
  p.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  p.threads = threads;
  p.ranks = sim::mpi_ranks().size;
  return p;
}

struct Worker {
  Worker(const topology::Model& m, const cluster::ClusterModel& cm, bool full)
      : sim(m), clusters(cm) {
    sim.set_record_load_blame(full);
  }
  failure_models::FacilitySim sim;
  failure_models::ReplicationResult result;
  cluster::ClusterEvaluator clusters;
  cluster::ClusterOutcome outcome;
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
  bool interrupted = false;
  auto merge = [&](std::uint64_t, std::unique_ptr<sim::BlockResult> r) {
    if (options.interrupted && options.interrupted()) {
      interrupted = true;
      return false;
    }
    total.merge(static_cast<const CycleBlock&>(*r).stats);
    return !reached_target(total.down[0], total.length, options.target_rel_error);
  };
  sim::run_blocks_distributed(plan, threads, make_work, merge, codec,
                              [&](std::uint64_t done, std::uint64_t n) { bar.update(done, n); });
  if (interrupted) throw Interrupted();
  const Performance perf = measured(start, threads);
  return summarize_importance(total, model, design_label(design), options.seed, options.bias, perf);
}

/// Splitting: block b holds replications [first, last), each a tree of trajectories that is a
/// pure function of (plan, seed, i); the plan comes from a pilot on streams of its own.
struct SplitBlock : sim::BlockResult {
  failure_models::SplitStats stats;
};

nlohmann::json run_splitting(const topology::Design& design, const topology::Model& model,
                             const RunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const sim::Ranks& ranks = sim::mpi_ranks();
  const int targets = model.n_loads + 1;
  const failure_models::ImportanceFunction importance(model);
  const auto pilot = failure_models::plan_splitting(model, importance, options.seed);
  const double pilot_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  failure_models::SplitStats total;
  total.resize(targets);
  ProgressBar bar(options.progress && ranks.root());
  sim::BlockPlan plan{options.replications, 64};
  const unsigned threads = options.threads ? options.threads : sim::default_threads();
  auto make_work = [&]() -> sim::BlockWork {
    auto sim = std::make_shared<failure_models::SplittingSim>(model, importance);
    auto obs = std::make_shared<failure_models::SplitObservation>();
    return [sim, obs, &options, &pilot, targets](std::uint64_t first, std::uint64_t last) {
      auto block = std::make_unique<SplitBlock>();
      block->stats.resize(targets);
      for (std::uint64_t i = first; i < last; ++i) {
        sim->replication(pilot.plan, options.seed, i, false, *obs);
        block->stats.add(*obs);
      }
      return std::unique_ptr<sim::BlockResult>(std::move(block));
    };
  };
  sim::BlockCodec codec{[](const sim::BlockResult& r, sim::Archive& a) {
                          static_cast<const SplitBlock&>(r).stats.save(a);
                        },
                        [&](sim::Archive& a) {
                          auto block = std::make_unique<SplitBlock>();
                          block->stats.resize(targets);
                          block->stats.load(a);
                          return std::unique_ptr<sim::BlockResult>(std::move(block));
                        }};
  bool interrupted = false;
  const sim::Moments no_length;  // the span is fixed: the estimate is a plain mean
  auto merge = [&](std::uint64_t, std::unique_ptr<sim::BlockResult> r) {
    if (options.interrupted && options.interrupted()) {
      interrupted = true;
      return false;
    }
    total.merge(static_cast<const SplitBlock&>(*r).stats);
    return !reached_target(total.down[0], no_length, options.target_rel_error);
  };
  sim::run_blocks_distributed(plan, threads, make_work, merge, codec,
                              [&](std::uint64_t done, std::uint64_t n) { bar.update(done, n); });
  if (interrupted) throw Interrupted();
  const Performance perf = measured(start, threads);
  return summarize_splitting(total, pilot, importance, model, design_label(design), options.seed,
                             pilot_seconds, perf);
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
  // Relative sd of the ratio (of the mean alone when there is no length to divide by).
  const double rel = std::sqrt(vz / (mz * mz) + (length.count() ? vt / (mt * mt) : 0.0));
  return 1.96 * rel < target;
}

nlohmann::json run_design(const topology::Design& design, const topology::Model& model,
                          const RunOptions& options) {
  // --importance-sampling takes whatever works: balanced failure biasing on designs made of
  // failures and repairs only, splitting on the rest.
  if (options.splitting ||
      (options.importance_sampling && !failure_models::importance_refusal(model).empty()))
    return run_splitting(design, model, options);
  if (options.importance_sampling) return run_importance(design, model, options);
  return run_designs({{&design, &model, options.out}}, options)[0];
}

namespace {

/// A block of replications of every design: their accumulators, and the paired differences of
/// each design against the first.
struct MultiBlock : sim::BlockResult {
  std::vector<std::unique_ptr<Accumulator>> acc;
  std::vector<PairedDifferences> diff;
  std::vector<std::vector<std::vector<double>>> trace;  ///< [design][figure][replication]
};

}  // namespace

std::vector<nlohmann::json> run_designs(const std::vector<DesignRun>& designs,
                                        const RunOptions& options) {
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t i = 1; i < designs.size(); ++i) pairs.emplace_back(0, i);
  auto joint = run_joint(designs, pairs, options);
  for (std::size_t i = 1; i < designs.size(); ++i)
    joint.summaries[i]["differences"] =
        joint.differences[i - 1].to_json(design_label(*designs[0].design));
  return std::move(joint.summaries);
}

namespace {

/// A joint run: every design over the same replication indices (common random numbers), the
/// paired differences asked for, the traced figures, HDF5 rows, checkpoints.
class JointRun {
 public:
  JointRun(const std::vector<DesignRun>& designs,
           const std::vector<std::pair<std::size_t, std::size_t>>& which, const RunOptions& options,
           const std::vector<std::string>& traced)
      : designs_(designs), which_(which), options_(options), traced_(traced), k_(designs.size()) {
    std::vector<FigureSet> figures;
    for (const auto& d : designs) figures.push_back(figure_set(*d.model));
    // Cluster tenants: placed and calibrated once per design, before any replication.
    for (const auto& d : designs)
      clusters_.push_back(cluster::build_cluster_model(*d.model, {options.worker_executable}));
    // The paired differences asked for (second minus first), figure by figure.
    for (const auto& [a, b] : which) pairs_.emplace_back(figures[a], figures[b]);
    // Where each traced figure sits in each design's figures (-1: the design lacks it).
    trace_at_.resize(k_);
    for (std::size_t d = 0; d < k_; ++d)
      for (const auto& path : traced) {
        const auto& p = figures[d].paths;
        const auto it = std::find(p.begin(), p.end(), path);
        trace_at_[d].push_back(it == p.end() ? -1 : static_cast<int>(it - p.begin()));
      }
    paired_ = !which.empty() || !traced.empty();
    open_writers();
  }

  JointResult run() {
    total_ = fresh();
    for (auto& a : total_->acc) a->rows.reset();  // rows go straight to the files
    ProgressBar bar(options_.progress && sim::mpi_ranks().root());
    sim::BlockPlan plan{options_.replications, 64};
    const unsigned threads = options_.threads ? options_.threads : sim::default_threads();
    const sim::BlockCodec codec = block_codec();
    Checkpointer ck(options_.checkpoint);
    resume(ck, codec, plan);
    auto merge = [&](std::uint64_t block, std::unique_ptr<sim::BlockResult> r) {
      return merge_block(block, static_cast<const MultiBlock&>(*r), ck, codec);
    };
    sim::run_blocks_distributed(
        plan, threads, [this] { return work(); }, merge, codec,
        [&](std::uint64_t done, std::uint64_t n) { bar.update(done, n); });
    if (interrupted_) throw Interrupted();  // the writers remove their temporary files
    if (stopped_by_) throw StoppedAtCheckpoint(stopped_by_, plan.first_block);
    return finish(measured(start_, threads), ck);
  }

 private:
  std::unique_ptr<MultiBlock> fresh() const {
    auto b = std::make_unique<MultiBlock>();
    for (const auto& d : designs_)
      b->acc.push_back(std::make_unique<Accumulator>(*d.model, !d.out.empty()));
    b->diff = pairs_;
    b->trace.assign(k_, std::vector<std::vector<double>>(traced_.size()));
    return b;
  }

  void open_writers() {
    writers_.resize(k_);
    if (!sim::mpi_ranks().root()) return;
    const nlohmann::json o = {{"seed", options_.seed},
                              {"replications", options_.replications},
                              {"threads", options_.threads},
                              {"command_line", options_.command_line}};
    for (std::size_t i = 0; i < k_; ++i)
      if (!designs_[i].out.empty())
        writers_[i] = std::make_unique<Hdf5Writer>(designs_[i].out, *designs_[i].design,
                                                   *designs_[i].model, o);
  }

  sim::BlockCodec block_codec() const {
    return {[](const sim::BlockResult& r, sim::Archive& a) {
              const auto& b = static_cast<const MultiBlock&>(r);
              for (const auto& acc : b.acc) acc->save(a);
              for (const auto& d : b.diff) d.save(a);
              for (const auto& t : b.trace) a.put(t);
            },
            [this](sim::Archive& a) {
              auto b = fresh();
              for (auto& acc : b->acc) acc->load(a);
              for (auto& d : b->diff) d.load(a);
              for (auto& t : b->trace) a.get(t);
              return std::unique_ptr<sim::BlockResult>(std::move(b));
            }};
  }

  /// One thread's work: its own simulators, one per design.
  sim::BlockWork work() const {
    auto workers = std::make_shared<std::vector<std::unique_ptr<Worker>>>();
    for (std::size_t d = 0; d < k_; ++d) {
      workers->push_back(
          std::make_unique<Worker>(*designs_[d].model, clusters_[d], !designs_[d].out.empty()));
      // Variants of one network (importance, sensitivity) solve each state once between them.
      if (d > 0 && topology::same_network(*designs_[d].model, *designs_[0].model))
        workers->back()->sim.share_network_caches((*workers)[0]->sim);
    }
    return [this, workers](std::uint64_t first, std::uint64_t last) {
      auto block = fresh();
      std::vector<std::vector<double>> fig(k_);
      for (std::uint64_t i = first; i < last; ++i) replicate(*workers, i, *block, fig);
      return std::unique_ptr<sim::BlockResult>(std::move(block));
    };
  }

  /// Replication index i of every design with the same seed: components with the same id draw
  /// the same random numbers in each (common random numbers), so differences are paired.
  void replicate(std::vector<std::unique_ptr<Worker>>& workers, std::uint64_t i, MultiBlock& block,
                 std::vector<std::vector<double>>& fig) const {
    for (std::size_t d = 0; d < k_; ++d) {
      auto& w = *workers[d];
      const auto& first = *workers[0];
      const int c = designs_[d].same_as_first_unless_touched;
      if (d > 0 && c >= 0 && !first.result.component_touched[c]) {
        block.acc[d]->add(first.result, *designs_[d].model, paired_ ? &fig[d] : nullptr,
                          first.clusters.empty() ? nullptr : &first.outcome);
        continue;
      }
      w.sim.run(options_.seed, i, w.result);
      const cluster::ClusterOutcome* co = nullptr;
      if (!w.clusters.empty()) {
        w.clusters.evaluate(*designs_[d].model, w.result, w.outcome);
        co = &w.outcome;
      }
      block.acc[d]->add(w.result, *designs_[d].model, paired_ ? &fig[d] : nullptr, co);
    }
    for (std::size_t p = 0; p < which_.size(); ++p)
      block.diff[p].add(fig[which_[p].first], fig[which_[p].second]);
    for (std::size_t d = 0; d < k_; ++d)
      for (std::size_t t = 0; t < trace_at_[d].size(); ++t)
        if (trace_at_[d][t] >= 0) block.trace[d][t].push_back(fig[d][trace_at_[d][t]]);
  }

  /// A resumed run: the merged statistics, the rows written so far, the blocks to skip.
  void resume(Checkpointer& ck, const sim::BlockCodec& codec, sim::BlockPlan& plan) {
    auto saved = ck.load();
    if (!saved) {
      ck.replay_rows([](sim::Archive&) {});
      return;
    }
    sim::Archive a(std::move(saved->totals));
    total_.reset(static_cast<MultiBlock*>(codec.load(a).release()));
    for (auto& acc : total_->acc) acc->rows.reset();
    auto scratch = fresh();
    ck.replay_rows([&](sim::Archive& rows) {
      for (std::size_t d = 0; d < k_; ++d)
        if (writers_[d]) {
          scratch->acc[d]->rows->load(rows);
          writers_[d]->append(*scratch->acc[d]->rows);
        }
    });
    plan.first_block = saved->next_block;
  }

  /// Merges a block in order; false stops the run (target reached, interrupted, stop signal).
  bool merge_block(std::uint64_t block, const MultiBlock& b, Checkpointer& ck,
                   const sim::BlockCodec& codec) {
    if (options_.interrupted && options_.interrupted()) {
      interrupted_ = true;
      return false;
    }
    bool reached = options_.target_rel_error > 0;
    for (std::size_t d = 0; d < k_; ++d) {
      total_->acc[d]->merge(*b.acc[d]);
      if (writers_[d]) writers_[d]->append(*b.acc[d]->rows);
      const auto& dt = total_->acc[d]->facility.downtime;
      reached = reached && checkpoint(dt.count()) && dt.mean() > 0 &&
                dt.ci95_half_width() < options_.target_rel_error * dt.mean();
    }
    for (std::size_t p = 0; p < which_.size(); ++p) total_->diff[p].merge(b.diff[p]);
    for (std::size_t d = 0; d < k_; ++d)
      for (std::size_t t = 0; t < traced_.size(); ++t)
        total_->trace[d][t].insert(total_->trace[d][t].end(), b.trace[d][t].begin(),
                                   b.trace[d][t].end());
    if (ck.enabled()) {
      sim::Archive rows;
      for (std::size_t d = 0; d < k_; ++d)
        if (writers_[d]) b.acc[d]->rows->save(rows);
      if (!rows.bytes().empty()) ck.append_rows(rows);
      if (!reached && ck.due()) {
        sim::Archive a;
        codec.save(*total_, a);
        ck.save(block + 1, a);
        if ((stopped_by_ = ck.stop_signal()) != 0) return false;
      }
    }
    return !reached;
  }

  JointResult finish(const Performance& perf, Checkpointer& ck) {
    JointResult out;
    for (std::size_t d = 0; d < k_; ++d) {
      auto& acc = *total_->acc[d];
      auto summary = summarize(acc, *designs_[d].model, design_label(*designs_[d].design),
                               options_.seed, acc.facility.downtime.count(), perf, &clusters_[d]);
      if (writers_[d]) writers_[d]->finish(summary);
      out.summaries.push_back(std::move(summary));
    }
    ck.finished();
    out.differences = std::move(total_->diff);
    out.traces = std::move(total_->trace);
    return out;
  }

  /// From before the clusters' calibration, which counts in the wall time.
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  const std::vector<DesignRun>& designs_;
  const std::vector<std::pair<std::size_t, std::size_t>>& which_;
  const RunOptions& options_;
  const std::vector<std::string>& traced_;
  const std::size_t k_;
  std::vector<cluster::ClusterModel> clusters_;
  std::vector<PairedDifferences> pairs_;
  std::vector<std::vector<int>> trace_at_;
  bool paired_ = false;
  std::vector<std::unique_ptr<Hdf5Writer>> writers_;
  std::unique_ptr<MultiBlock> total_;
  int stopped_by_ = 0;
  bool interrupted_ = false;
};

}  // namespace

JointResult run_joint(const std::vector<DesignRun>& designs,
                      const std::vector<std::pair<std::size_t, std::size_t>>& which,
                      const RunOptions& options, const std::vector<std::string>& traced) {
  return JointRun(designs, which, options, traced).run();
}

}  // namespace ridethrough::experiments
