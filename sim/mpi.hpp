#pragma once
#include <cstdint>
#include <vector>

namespace ridethrough::sim {

/// This process's place among MPI ranks. Without mpirun (no launcher variables in the
/// environment) MPI is not initialised at all and the process is rank 0 of 1.
struct Ranks {
  int rank = 0;
  int size = 1;
  bool root() const { return rank == 0; }
};

/// Initialises MPI only when launched by mpirun/srun; safe to call once per process.
Ranks mpi_start(int* argc, char*** argv);
void mpi_stop();
const Ranks& mpi_ranks();

/// Point-to-point transport of serialized block results, tagged by block index.
void mpi_send_block(const std::vector<char>& bytes, std::uint64_t block, int to);
std::vector<char> mpi_recv_block(std::uint64_t block, int from);
/// All ranks agree on a status (max over ranks), so a failure on one stops all.
int mpi_max(int value);

}  // namespace ridethrough::sim
