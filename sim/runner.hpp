#pragma once
#include <cstdint>
#include <functional>
#include <memory>

#include "sim/archive.hpp"

namespace ridethrough::sim {

/// Replications are processed in fixed blocks of consecutive indices. A block's partial result
/// depends only on its indices, and partial results are merged in block order, so the final
/// statistics are bit-identical whatever the number of threads (or, later, MPI ranks).
struct BlockPlan {
  std::uint64_t replications = 0;
  std::uint64_t block_size = 64;
  /// Blocks before this one are taken as done (a resumed run): they are neither run nor merged.
  std::uint64_t first_block = 0;
  std::uint64_t blocks() const { return (replications + block_size - 1) / block_size; }
};

/// Opaque partial result of one block.
struct BlockResult {
  virtual ~BlockResult() = default;
};

using BlockWork =
    std::function<std::unique_ptr<BlockResult>(std::uint64_t first, std::uint64_t last)>;
/// Returns false to stop: no further block is merged (blocks already running are discarded),
/// so where a run stops depends only on the merged results, not on the threads.
using BlockMerge = std::function<bool(std::uint64_t block, std::unique_ptr<BlockResult>)>;
using Progress = std::function<void(std::uint64_t done, std::uint64_t total)>;

/// Returns the number of blocks merged.
/// Runs the blocks of `plan` that belong to this rank (block b goes to rank b % ranks) on
/// `threads` workers (0 = all cores). `merge` is called on the caller's thread, never
/// concurrently, in block order. `make_worker_work` is called once per worker so each keeps
/// its own scratch state (caches, buffers).
std::uint64_t run_blocks(const BlockPlan& plan, unsigned threads,
                         const std::function<BlockWork()>& make_worker_work,
                         const BlockMerge& merge, const Progress& progress = {}, int rank = 0,
                         int ranks = 1);

/// How a block's partial result travels between MPI ranks.
struct BlockCodec {
  std::function<void(const BlockResult&, Archive&)> save;
  std::function<std::unique_ptr<BlockResult>(Archive&)> load;
};

/// run_blocks across the MPI ranks of this process (a single process is rank 0 of 1): every
/// rank computes its share, and `merge` is called on rank 0 only, for every block of every
/// rank in global block order, the others' received as their turn comes. The result is thus
/// the same whatever the number of ranks. Stopping early (merge returning false) is only
/// possible with one rank.
std::uint64_t run_blocks_distributed(const BlockPlan& plan, unsigned threads,
                                     const std::function<BlockWork()>& make_worker_work,
                                     const BlockMerge& merge, const BlockCodec& codec,
                                     const Progress& progress = {});

unsigned default_threads();

}  // namespace ridethrough::sim
