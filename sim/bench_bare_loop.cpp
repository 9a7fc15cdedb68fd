// Reference for scripts/bench: a bare std::priority_queue failure/repair loop over independent
// components with no evaluation at all, the ceiling the full engine is measured against.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <queue>
#include <vector>

#include "sim/rng.hpp"

int main(int argc, char** argv) {
  const int components = argc > 1 ? std::atoi(argv[1]) : 200;
  const int years = argc > 2 ? std::atoi(argv[2]) : 2000;
  struct Ev {
    double t;
    int c;
    bool fail;
    bool operator>(const Ev& o) const { return t > o.t; }
  };
  std::uint64_t events = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int rep = 0; rep < years; ++rep) {
    ridethrough::sim::Rng rng(ridethrough::sim::stream_key(1, rep, 0));
    std::priority_queue<Ev, std::vector<Ev>, std::greater<Ev>> q;
    for (int c = 0; c < components; ++c) q.push({1000.0 * rng.exponential(), c, true});
    while (q.top().t < 8760.0) {
      Ev e = q.top();
      q.pop();
      ++events;
      q.push({e.t + (e.fail ? 8.0 : 1000.0) * rng.exponential(), e.c, !e.fail});
    }
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%llu %.6f\n", static_cast<unsigned long long>(events), s);
}
