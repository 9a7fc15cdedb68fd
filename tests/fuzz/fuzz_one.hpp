#pragma once
// One fuzz input through what a user's file goes through first: the loader (templates,
// overrides, validation), `expand`, the model compiler and `check`'s cut sets. Shared by the
// libFuzzer target and the regression test that replays the inputs it once crashed on.
#include <cstddef>
#include <string>

namespace ridethrough::fuzz {

/// Never throws, never crashes, for any bytes: anything else is a bug.
void fuzz_one(const std::string& bytes);

}  // namespace ridethrough::fuzz
