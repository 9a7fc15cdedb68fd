#include "sim/runner.hpp"

#include "sim/mpi.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace ridethrough::sim {

unsigned default_threads() {
  return std::max(1u, std::thread::hardware_concurrency());
}

std::uint64_t run_blocks(const BlockPlan& plan, unsigned threads,
                         const std::function<BlockWork()>& make_worker_work,
                         const BlockMerge& merge, const Progress& progress, int rank, int ranks) {
  // Local block k is global block first_block + rank + k * ranks.
  const std::uint64_t all = plan.blocks() > plan.first_block ? plan.blocks() - plan.first_block : 0;
  const std::uint64_t r = static_cast<std::uint64_t>(rank), R = static_cast<std::uint64_t>(ranks);
  const std::uint64_t nblocks = all > r ? (all - r + R - 1) / R : 0;
  auto global = [&](std::uint64_t local) { return plan.first_block + r + local * R; };
  const std::uint64_t skipped = plan.first_block * plan.block_size;
  if (threads == 0) threads = default_threads();
  threads =
      static_cast<unsigned>(std::min<std::uint64_t>(threads, std::max<std::uint64_t>(1, nblocks)));

  std::atomic<std::uint64_t> next{0};
  std::mutex mu;
  std::condition_variable cv;
  std::map<std::uint64_t, std::unique_ptr<BlockResult>> pending;
  std::uint64_t merged = 0;
  std::uint64_t reps_done = 0;
  std::exception_ptr failure;
  bool stopped = false;

  // Workers hand finished blocks to the caller's thread, which merges them in order; a worker
  // waits when it runs too far ahead so memory stays bounded by a few blocks per thread.
  auto worker = [&]() {
    try {
      BlockWork work = make_worker_work();
      for (;;) {
        const std::uint64_t b = next.fetch_add(1);
        if (b >= nblocks) break;
        {
          std::unique_lock lock(mu);
          cv.wait(lock, [&] {
            return failure || stopped || b < merged + 4 * std::uint64_t{threads} + 4;
          });
          if (failure || stopped) return;
        }
        const std::uint64_t first = global(b) * plan.block_size;
        const std::uint64_t last = std::min(plan.replications, first + plan.block_size);
        auto result = work(first, last);
        {
          std::lock_guard lock(mu);
          pending.emplace(b, std::move(result));
          reps_done += last - first;
        }
        cv.notify_all();
      }
    } catch (...) {
      std::lock_guard lock(mu);
      if (!failure) failure = std::current_exception();
      cv.notify_all();
    }
  };

  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) pool.emplace_back(worker);

  while (merged < nblocks) {
    std::unique_ptr<BlockResult> ready;
    std::uint64_t done = 0;
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return failure || pending.count(merged) > 0; });
      if (failure) break;
      auto it = pending.find(merged);
      ready = std::move(it->second);
      pending.erase(it);
      done = reps_done;
    }
    const bool go_on = merge(global(merged), std::move(ready));
    {
      std::lock_guard lock(mu);
      ++merged;
      if (!go_on) stopped = true;
    }
    cv.notify_all();
    if (!go_on) {
      next.store(nblocks);  // hand out no more blocks
      break;
    }
    if (progress) progress(std::min(skipped + done * R, plan.replications), plan.replications);
  }
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  return merged;
}

std::uint64_t run_blocks_distributed(const BlockPlan& plan, unsigned threads,
                                     const std::function<BlockWork()>& make_worker_work,
                                     const BlockMerge& merge, const BlockCodec& codec,
                                     const Progress& progress) {
  const Ranks& ranks = mpi_ranks();
  const std::uint64_t size = static_cast<std::uint64_t>(ranks.size);
  std::uint64_t next = plan.first_block;  // the next global block rank 0 must merge
  bool go_on = true;
  auto take_remote_until = [&](std::uint64_t end) {
    for (; next < end && go_on; ++next) {
      const int from = static_cast<int>((next - plan.first_block) % size);
      if (from == 0) continue;
      Archive a(mpi_recv_block(next, from));
      go_on = merge(next, codec.load(a));
    }
  };
  auto local = [&](std::uint64_t block, std::unique_ptr<BlockResult> r) {
    if (!ranks.root()) {
      Archive a;
      codec.save(*r, a);
      mpi_send_block(a.bytes(), block, 0);
      return true;
    }
    take_remote_until(block);
    if (go_on) go_on = merge(block, std::move(r));
    next = block + 1;
    return go_on;
  };
  const std::uint64_t merged =
      run_blocks(plan, threads, make_worker_work, local, progress, ranks.rank, ranks.size);
  if (ranks.root() && go_on) take_remote_until(plan.blocks());
  return merged;
}

}  // namespace ridethrough::sim
