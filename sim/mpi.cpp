#include "sim/mpi.hpp"

#include <mpi.h>

#include <cstdlib>
#include <stdexcept>

namespace ridethrough::sim {

namespace {
Ranks g_ranks;  // process-wide by nature: MPI itself is one per process
bool g_started = false;

bool launched_by_mpi() {
  for (const char* v :
       {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK", "SLURM_PMIX_MAPPING_SERV"})
    if (std::getenv(v)) return true;
  return false;
}
// Tags must stay below MPI_TAG_UB (at least 32767): blocks are matched in order per sender, so
// the tag only needs to tell consecutive blocks apart.
int tag_of(std::uint64_t block) {
  return static_cast<int>(block % 30000);
}
}  // namespace

Ranks mpi_start(int* argc, char*** argv) {
  if (g_started || !launched_by_mpi()) return g_ranks;
  int provided = 0;
  MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
  g_started = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &g_ranks.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_ranks.size);
  return g_ranks;
}

void mpi_stop() {
  if (g_started) MPI_Finalize();
  g_started = false;
}

const Ranks& mpi_ranks() {
  return g_ranks;
}

void mpi_send_block(const std::vector<char>& bytes, std::uint64_t block, int to) {
  const std::uint64_t n = bytes.size();
  MPI_Send(&n, 1, MPI_UINT64_T, to, tag_of(block), MPI_COMM_WORLD);
  if (n) MPI_Send(bytes.data(), static_cast<int>(n), MPI_CHAR, to, tag_of(block), MPI_COMM_WORLD);
}

std::vector<char> mpi_recv_block(std::uint64_t block, int from) {
  std::uint64_t n = 0;
  MPI_Recv(&n, 1, MPI_UINT64_T, from, tag_of(block), MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  std::vector<char> bytes(n);
  if (n)
    MPI_Recv(bytes.data(), static_cast<int>(n), MPI_CHAR, from, tag_of(block), MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
  return bytes;
}

int mpi_max(int value) {
  if (!g_started) return value;
  int out = value;
  MPI_Allreduce(&value, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return out;
}

}  // namespace ridethrough::sim
