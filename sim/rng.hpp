#pragma once
#include <cmath>
#include <cstdint>

namespace ridethrough::sim {

/// SplitMix64 step: used only to expand seeds, never as the simulation generator.
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// Derives an independent stream key from (master seed, replication, stream id) so a
/// replication is a pure function of its index, whichever worker runs it.
inline std::uint64_t stream_key(std::uint64_t seed, std::uint64_t replication,
                                std::uint64_t stream) {
  std::uint64_t s = seed;
  std::uint64_t a = splitmix64(s);
  s = a ^ (replication * 0xd1b54a32d192ed03ULL);
  std::uint64_t b = splitmix64(s);
  s = b ^ (stream * 0x8cb92ba72f3d8dd7ULL + 0x632be59bd9b4e019ULL);
  return splitmix64(s);
}

/// xoshiro256** (Blackman & Vigna): fast, small state, good equidistribution.
class Rng {
 public:
  Rng() = default;
  explicit Rng(std::uint64_t key) { seed(key); }

  void seed(std::uint64_t key) {
    std::uint64_t s = key;
    for (auto& w : s_) w = splitmix64(s);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  /// Standard exponential (mean 1); 1 - u is in (0, 1], so the log is finite.
  double exponential() { return -std::log1p(-uniform()); }

  /// Standard normal by Box-Muller (one value per call keeps the stream stateless).
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

  bool bernoulli(double p) { return p > 0.0 && uniform() < p; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4] = {1, 2, 3, 4};
};

}  // namespace ridethrough::sim
